from django.urls import path

from bloom.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<int:pk>/", views.organization_detail, name="detail"),
]
