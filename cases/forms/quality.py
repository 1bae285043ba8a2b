"""The period and filters of the list of records to complete (``cases.quality``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import Team, User
from bloom.forms import PeriodForm
from cases.permissions import teams_of


class QualityFilterForm(PeriodForm):
    """The period (the fiscal year to date unless asked), and the team or one's own cases."""

    team = forms.ModelChoiceField(
        label=_("Team"),
        required=False,
        queryset=Team.objects.none(),
        empty_label=_("All teams"),
        error_messages={"invalid_choice": _("Choose one of the teams in the list.")},
    )
    mine = forms.BooleanField(label=_("Only cases assigned to me"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.all() if user.has_perm("cases.view_case") else teams_of(user)
        self.fields["team"].queryset = teams.order_by("name")
