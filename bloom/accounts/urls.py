from django.urls import path

from bloom.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/language/", views.sign_in_language, name="sign_in_language"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("mfa/", views.mfa, name="mfa"),
    path("profile/", views.profile, name="profile"),
]
