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
]
