from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/new-link/", views.new_link, name="new_link"),
    path("events/<int:pk>/survey-sheet/", views.survey_sheet, name="survey_sheet"),
    path("events/<int:pk>/attendees/", views.attendee_add, name="attendee_add"),
    path("events/<int:pk>/attendees/<int:attendee_pk>/remove/", views.attendee_remove, name="attendee_remove"),
    path("events/<int:pk>/surveys/", views.responses, name="responses"),
    path("events/<int:pk>/surveys/paper/", views.paper_entry, name="paper_entry"),
    path("events/<int:pk>/surveys/<int:response_pk>/set-aside/", views.set_aside, name="set_aside"),
    path("events/<int:pk>/results/", views.event_results, name="event_results"),
    path("results/", views.results, name="results"),
    path("curricula/", views.curriculum_list, name="curricula"),
    path("curricula/new/", views.curriculum_new, name="curriculum_new"),
    path("curricula/<int:pk>/edit/", views.curriculum_edit, name="curriculum_edit"),
    path("trainers/", views.trainer_list, name="trainers"),
    path("trainers/new/", views.trainer_new, name="trainer_new"),
    path("trainers/<int:pk>/", views.trainer_detail, name="trainer"),
    path("trainers/<int:pk>/edit/", views.trainer_edit, name="trainer_edit"),
    path("trainers/<int:pk>/certify/", views.certify, name="certify"),
    path("surveys/", views.instrument_list, name="instruments"),
    path("surveys/<int:pk>/", views.instrument_detail, name="instrument"),
    path("surveys/<int:pk>/edit/", views.instrument_edit, name="instrument_edit"),
    path("surveys/<int:pk>/revise/", views.instrument_revise, name="instrument_revise"),
    path("surveys/<int:pk>/default/", views.instrument_default, name="instrument_default"),
]
