from django.urls import path

from bloom.reports import views

app_name = "reports"
urlpatterns = [
    path("request/<slug:kind>/<int:target_id>/", views.request_report, name="request"),
    path("jobs/<uuid:public_id>/", views.job_status, name="job"),
    path("jobs/<uuid:public_id>/download/", views.download, name="download"),
]
