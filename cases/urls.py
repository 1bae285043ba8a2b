from django.urls import path

from cases.views import intake

app_name = "cases"
urlpatterns = [
    path("", intake.case_list, name="list"),
    path("new/", intake.case_create, name="create"),
    path("<int:pk>/", intake.case_detail, name="detail"),
    path("<int:pk>/edit/", intake.case_edit, name="edit"),
    path("<int:pk>/assign/", intake.case_assign, name="assign"),
    path("<int:pk>/history/", intake.case_history, name="history"),
    path("<int:pk>/access-log/", intake.case_access_log, name="access_log"),
    path("duplicates/", intake.duplicate_check, name="duplicates"),
    path("<int:pk>/screening/", intake.screening_list, name="screenings"),
    path("<int:pk>/screening/new/", intake.screening_new, name="screening_new"),
    path("<int:pk>/eligibility/", intake.eligibility_override, name="eligibility_override"),
    path("<int:pk>/outcome/", intake.outcome, name="outcome"),
    path("<int:pk>/mandated-reports/new/", intake.mandated_report_new, name="mandated_report_new"),
    path("<int:pk>/family/new/", intake.family_member_new, name="family_member_new"),
    path("<int:pk>/family/<int:member_pk>/remove/", intake.family_member_remove, name="family_member_remove"),
]
