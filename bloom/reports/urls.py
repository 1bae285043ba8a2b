from django.urls import path

from bloom.reports import dashboard_views, director_views, views

app_name = "reports"
urlpatterns = [
    path("request/<slug:kind>/<int:target_id>/", views.request_report, name="request"),
    path("jobs/<uuid:public_id>/", views.job_status, name="job"),
    path("jobs/<uuid:public_id>/download/", views.download, name="download"),
    path("program/", views.program_reports, name="program_reports"),
    path("program/<slug:kind>/", views.program_report, name="program_report"),
    path("program/<slug:kind>/export/<slug:fmt>/", views.program_export, name="program_export"),
    path("program/<slug:kind>/submit/", views.program_submit, name="program_submit"),
    path("dashboard/", director_views.program_dashboard, name="program_dashboard"),
    path("dashboard/<slug:section>.csv", director_views.program_dashboard_csv, name="program_dashboard_csv"),
    path("teams/", dashboard_views.team_dashboard, name="team_dashboard"),
]
