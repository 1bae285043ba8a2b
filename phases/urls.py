from django.urls import path

from phases.views import budget as budget_views
from phases.views import goals as goal_views
from phases.views import journey as journey_views
from phases.views import templates as template_views

app_name = "phases"
urlpatterns = [
    # Phase templates (program configuration)
    path("plans/templates/", template_views.template_list, name="templates"),
    path("plans/templates/new/", template_views.template_new, name="template_new"),
    path("plans/templates/<int:template_pk>/", template_views.template_detail, name="template"),
    path("plans/templates/<int:template_pk>/edit/", template_views.template_edit, name="template_edit"),
    path("plans/templates/<int:template_pk>/use/", template_views.template_use, name="template_use"),
    # Case plan and phase journey
    path("cases/<int:pk>/plan/", journey_views.plan, name="plan"),
    path("cases/<int:pk>/plan/start/", journey_views.plan_start, name="plan_start"),
    path("cases/<int:pk>/plan/move/", journey_views.move_request, name="move_request"),
    path("cases/<int:pk>/plan/back/", journey_views.move_back, name="move_back"),
    path("cases/<int:pk>/plan/reviews/<int:review_pk>/decide/", journey_views.review_decide, name="review_decide"),
    path(
        "cases/<int:pk>/plan/reviews/<int:review_pk>/withdraw/",
        journey_views.review_withdraw,
        name="review_withdraw",
    ),
    path("plans/reviews/", journey_views.review_queue, name="review_queue"),
    # Goals
    path("cases/<int:pk>/goals/", goal_views.goal_list, name="goals"),
    path("cases/<int:pk>/goals/new/", goal_views.goal_new, name="goal_new"),
    path("cases/<int:pk>/goals/<int:goal_pk>/", goal_views.goal_detail, name="goal_detail"),
    path("cases/<int:pk>/goals/<int:goal_pk>/edit/", goal_views.goal_edit, name="goal_edit"),
    path("cases/<int:pk>/goals/<int:goal_pk>/status/", goal_views.goal_status, name="goal_status"),
    path("cases/<int:pk>/goals/<int:goal_pk>/steps/new/", goal_views.step_new, name="step_new"),
    path("cases/<int:pk>/goals/<int:goal_pk>/steps/<int:step_pk>/edit/", goal_views.step_edit, name="step_edit"),
    path("cases/<int:pk>/goals/<int:goal_pk>/notes/new/", goal_views.goal_note_new, name="goal_note_new"),
    # Budget
    path("cases/<int:pk>/budget/", budget_views.budget_list, name="budget"),
    path("cases/<int:pk>/budget/new/", budget_views.budget_new, name="budget_new"),
    path("cases/<int:pk>/budget/<int:month_pk>/", budget_views.budget_month, name="budget_month"),
    path("cases/<int:pk>/budget/<int:month_pk>/edit/", budget_views.budget_edit, name="budget_edit"),
]
