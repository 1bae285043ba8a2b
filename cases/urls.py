from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/assign/", views.case_assign, name="assign"),
    path("<int:pk>/history/", views.case_history, name="history"),
    path("<int:pk>/access-log/", views.case_access_log, name="access_log"),
    path("duplicates/", views.duplicate_check, name="duplicates"),
    path("<int:pk>/screening/", views.screening_list, name="screenings"),
    path("<int:pk>/screening/new/", views.screening_new, name="screening_new"),
    path("<int:pk>/eligibility/", views.eligibility_override, name="eligibility_override"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<int:pk>/mandated-reports/new/", views.mandated_report_new, name="mandated_report_new"),
    path("<int:pk>/family/new/", views.family_member_new, name="family_member_new"),
    path("<int:pk>/family/<int:member_pk>/remove/", views.family_member_remove, name="family_member_remove"),
]
