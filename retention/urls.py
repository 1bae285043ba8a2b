from django.urls import path

from retention import views

app_name = "retention"
urlpatterns = [
    # The program director's: the policy, what the next purge takes, running it, and its log
    path("", views.policy, name="policy"),
    path("preview/", views.preview, name="preview"),
    path("run/", views.run, name="run"),
    path("log/", views.purge_log, name="log"),
    # Holds on a case, for those who decide on it
    path("cases/<int:case_pk>/holds/", views.hold_place, name="hold_place"),
    path("holds/<int:pk>/lift/", views.hold_lift, name="hold_lift"),
    # Deleting a survivor's record at once: asked by one authorised person, confirmed by another
    path("cases/<int:case_pk>/delete/", views.deletion_new, name="deletion_new"),
    path("deletions/", views.deletions, name="deletions"),
    path("deletions/<int:pk>/confirm/", views.deletion_confirm, name="deletion_confirm"),
    path("deletions/<int:pk>/withdraw/", views.deletion_withdraw, name="deletion_withdraw"),
]
