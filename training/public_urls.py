"""The survey link's pages, outside the signed-in site: /s/<secret>/..."""

from django.urls import path

from training import public

app_name = "survey"

urlpatterns = [
    path("<str:token>/", public.landing, name="link"),
    path("<str:token>/<slug:phase>/", public.answer, name="answer"),
    path("<str:token>/<slug:phase>/<slug:why>/", public.done, name="done"),
]
