from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import Role, Team, User
from bloom.directory.models import Town
from cases import queries
from cases.models import Case, Survivor


def teams_of(user: User) -> QuerySet[Team]:
    """The teams a user supervises or belongs to."""
    return Team.objects.filter(Q(supervisors=user) | Q(members=user)).distinct()


def teams_for(user: User) -> QuerySet[Team]:
    """Teams a user may put a case in: all for a program-wide assigner, else their own."""
    return Team.objects.all() if user.has_perm("cases.assign_case") else teams_of(user)


def specialists_in(teams: QuerySet[Team]) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, groups__name=Role.SPECIALIST, teams__in=teams)
        .distinct()
        .order_by("full_name")
    )


def check_team_members(form: forms.Form, team: Team | None, specialists) -> None:
    if team is None:
        return
    members = set(team.members.values_list("pk", flat=True))
    outside = [str(s) for s in specialists if s.pk not in members]
    if outside:
        form.add_error(
            "specialists",
            _("Not a member of %(team)s: %(names)s.") % {"team": team, "names": ", ".join(outside)},
        )


MAX_AGE = 120


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SurvivorFieldsMixin(forms.Form):
    def clean(self):
        cleaned = super().clean()
        born = cleaned.get("date_of_birth")
        if born and born > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth cannot be in the future."))
        age = cleaned.get("estimated_age")
        if age is not None and age > MAX_AGE:
            self.add_error("estimated_age", _("Give an age of %(max)s or less.") % {"max": MAX_AGE})
        if born and age is not None:
            self.add_error("estimated_age", _("Give either a date of birth or an estimated age, not both."))
        return cleaned


class OpenCaseForm(SurvivorFieldsMixin, forms.ModelForm):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))
    specialists = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Assigned specialists"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Only members of the chosen team can be assigned. Leave empty for the team's supervisor to assign."
        ),
    )
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput(), initial=timezone.localdate)

    class Meta:
        model = Survivor
        fields = Survivor.IDENTITY_FIELDS
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        teams = teams_for(user)
        self.fields["team"].queryset = teams
        self.fields["specialists"].queryset = specialists_in(teams)
        self.fields["town"].queryset = Town.objects.filter(in_service_area=True)
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()
        if user.has_role(Role.SPECIALIST):
            self.fields["specialists"].initial = [user]

    def clean(self):
        cleaned = super().clean()
        check_team_members(self, cleaned.get("team"), cleaned.get("specialists") or [])
        opened_on = cleaned.get("opened_on")
        if opened_on and opened_on > timezone.localdate():
            self.add_error("opened_on", _("A case cannot be opened in the future."))
        return cleaned


class AssignCaseForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))
    specialists = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Assigned specialists"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The team's supervisors always see the case, with or without a specialist."),
    )

    def __init__(self, *args, user: User, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(Q(pk__in=teams_for(user).values("pk")) | Q(pk=case.team_id))
        self.fields["team"].queryset = teams
        # Current specialists stay listed even if they have left the team, so they can be removed.
        self.fields["specialists"].queryset = User.objects.filter(
            Q(pk__in=specialists_in(teams).values("pk")) | Q(pk__in=case.specialists.values("pk"))
        ).order_by("full_name")
        self.initial.setdefault("team", case.team)
        self.initial.setdefault("specialists", list(case.specialists.all()))

    def clean(self):
        cleaned = super().clean()
        check_team_members(self, cleaned.get("team"), cleaned.get("specialists") or [])
        return cleaned


class EditCaseForm(SurvivorFieldsMixin, forms.Form):
    """The survivor's identity and the case's status and dates.

    A plain form, not a ModelForm: validating must not change the survivor in memory,
    so that ``services.update_case`` can see what really changed.
    """

    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput())
    closed_on = forms.DateField(
        label=_("Closed on"),
        widget=DateInput(),
        required=False,
        help_text=_("Needed when the status is Closed."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        survivor = case.survivor
        initial = {name: getattr(survivor, name) for name in Survivor.IDENTITY_FIELDS}
        initial.update(status=case.status, opened_on=case.opened_on, closed_on=case.closed_on)
        super().__init__(*args, initial=initial, **kwargs)
        self.fields = {
            **forms.fields_for_model(Survivor, fields=Survivor.IDENTITY_FIELDS, widgets={"date_of_birth": DateInput()}),
            **self.fields,
        }
        self.fields["town"].queryset = Town.objects.all()

    def clean(self):
        cleaned = super().clean()
        status, opened_on, closed_on = cleaned.get("status"), cleaned.get("opened_on"), cleaned.get("closed_on")
        today = timezone.localdate()
        if status == Case.Status.CLOSED and not closed_on:
            self.add_error("closed_on", _("Give the date the case was closed."))
        if closed_on and opened_on and closed_on < opened_on:
            self.add_error("closed_on", _("A case cannot close before it opened."))
        for name in ("opened_on", "closed_on"):
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, _("This date cannot be in the future."))
        return cleaned


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or client code"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), (queries.ACTIVE, _("Open or reopened")), *Case.Status.choices],
    )
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("All teams")
    )
    mine = forms.BooleanField(label=_("Only cases assigned to me"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.all() if user.has_perm("cases.view_case") else teams_of(user)
