"""The supervisor's team dashboard: each team they supervise, or the one chosen in the address."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from bloom.accounts.models import Team, User
from bloom.reports.dashboards import supervisor, waiting


class TeamChoiceForm(forms.Form):
    """Which of the person's teams to show (``?team=``); none: all of them."""

    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("All my teams")
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = supervisor.supervised_teams(user)


@login_required
@require_safe
def team_dashboard(request):
    teams = list(supervisor.supervised_teams(request.user).prefetch_related("members"))
    if not teams:
        raise PermissionDenied
    form = TeamChoiceForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        # Another team's id, or no id at all: the same answer as a team that does not exist.
        raise Http404
    chosen = form.cleaned_data["team"] if form.is_bound else None
    shown = [team for team in teams if chosen is None or team.pk == chosen.pk]
    context = {
        "form": form,
        "teams": teams,
        "chosen": chosen,
        "today": timezone.localdate(),
        "boards": supervisor.team_boards(request.user, shown),
        "waiting": waiting.for_request(request),
    }
    return render(request, "reports/team_dashboard.html", context)
