from django.urls import path

from bloom.reports import views

app_name = "reports"
urlpatterns = [
    path("request/<slug:kind>/<int:target_id>/", views.request_report, name="request"),
    path("jobs/<uuid:public_id>/", views.job_status, name="job"),
    path("jobs/<uuid:public_id>/download/", views.download, name="download"),
    path("program/", views.program_reports, name="program_reports"),
    path("program/<slug:kind>/", views.program_report, name="program_report"),
    path("program/<slug:kind>/export/<slug:fmt>/", views.program_export, name="program_export"),
    path("program/<slug:kind>/submit/", views.program_submit, name="program_submit"),
]
