from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import Role, Team, User
from bloom.directory.models import Organization, Town
from bloom.forms import DateInput
from bloom.vocabulary import ControlMethod, VenueType
from cases import amp, fields
from cases.models import (
    Answer,
    Case,
    FamilyMember,
    MandatedReport,
    NotEnrolledReason,
    Race,
    RecruitmentMethod,
    Residence,
    Screening,
    Survivor,
)
from cases.permissions import teams_for, teams_of  # noqa: F401 (cases.forms re-exports teams_of)
from cases.services.intake import GUARDIAN_FIELDS


def specialists_in(teams: QuerySet[Team]) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, groups__name=Role.SPECIALIST, teams__in=teams)
        .distinct()
        .order_by("full_name")
    )


MAX_AGE = 120


YES_NO_UNKNOWN = [("unknown", _("Not known")), ("true", _("Yes")), ("false", _("No"))]
# An optional question's answers; blank is "not asked", which is always a fine answer.
ANSWER_OR_NOT_ASKED = [*Answer.choices, ("", _("Not asked"))]


class YesNoUnknown(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = YES_NO_UNKNOWN


def remember_shown_values(form: forms.Form) -> None:
    """Send each field's shown value back with the post, so ``changed_data`` is what this person changed.

    Compared with the stored row instead, a page opened before a colleague's save would
    write its stale values over theirs.
    """
    for field in form.fields.values():
        field.show_hidden_initial = True


def ask_as_set(form: forms.Form, asked: fields.Asked | None, model_label: str) -> fields.Asked:
    """Leave out the fields the director has hidden, and require none made optional; returns ``asked``.

    ``asked`` is how the fields are asked, read now when not given.
    """
    asked = fields.current() if asked is None else asked
    for name in asked.hidden(model_label):
        form.fields.pop(name, None)
    for name in asked.optional(model_label):
        if name in form.fields:
            form.fields[name].required = False
    return asked


def check_not_future(form: forms.Form, name: str, message: str) -> None:
    day = form.cleaned_data.get(name)
    if day and day > timezone.localdate():
        form.add_error(name, message)


class SurvivorDetailsForm(forms.ModelForm):
    """Who the survivor is and how to reach them safely; the sensitive fields only for those allowed.

    Give it a copy of the survivor when editing: validating fills the instance, and
    ``services.update_case`` compares against the stored row.
    """

    race = forms.MultipleChoiceField(
        label=_("Race and ethnicity"),
        choices=Race.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that the survivor says apply."),
    )

    class Meta:
        model = Survivor
        fields = (*Survivor.DETAIL_FIELDS, *Survivor.CLASSIFICATION_FIELDS)
        widgets = {
            **dict.fromkeys(Survivor.CLASSIFICATION_FIELDS, forms.RadioSelect),
            "date_of_birth": DateInput(),
            "aliases": forms.Textarea(attrs={"rows": 2}),
            "mailing_address": forms.Textarea(attrs={"rows": 2}),
            "safe_contact_notes": forms.Textarea(attrs={"rows": 2}),
            "born_in_us": YesNoUnknown(),
            "safe_to_call": YesNoUnknown(),
            "safe_to_leave_message": YesNoUnknown(),
            "safe_to_text": YesNoUnknown(),
            "safe_to_mail": YesNoUnknown(),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "emergency_contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(
        self,
        *args,
        sensitive_allowed: bool,
        remember_shown: bool = False,
        asked: fields.Asked | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not sensitive_allowed:
            for name in Survivor.SENSITIVE_FIELDS:
                del self.fields[name]
        self.asked = ask_as_set(self, asked, "survivor")
        if remember_shown:
            remember_shown_values(self)
        self.fields["town"].queryset = Town.objects.order_by("-in_service_area", "name")
        for name in Survivor.CLASSIFICATION_FIELDS:
            if name in self.fields:
                self.fields[name].choices = ANSWER_OR_NOT_ASKED
        self.fields["estimated_age"].widget.attrs.update(min=0, max=MAX_AGE, inputmode="numeric")
        for name in ("legal_name", "preferred_name", "date_of_birth"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "date_of_birth", _("The date of birth cannot be in the future."))
        born, age = cleaned.get("date_of_birth"), cleaned.get("estimated_age")
        if age is not None and age > MAX_AGE:
            self.add_error("estimated_age", _("Give an age of %(max)s or less.") % {"max": MAX_AGE})
        if born and age is not None:
            self.add_error("estimated_age", _("Give either a date of birth or an estimated age, not both."))
        if born and born.year < timezone.localdate().year - MAX_AGE:
            self.add_error("date_of_birth", _("Give a date of birth in the last %(max)s years.") % {"max": MAX_AGE})
        race = cleaned.get("race") or []
        if Race.DECLINED in race and len(race) > 1:
            self.add_error("race", _("“Prefers not to say” cannot be chosen with another answer."))
        return cleaned

    SECTIONS = (
        (_("Who they are"), ("legal_name", "preferred_name", "aliases", "date_of_birth", "estimated_age",
                            "gender", "gender_description", "race")),
        (_("Origin and language"), ("country_of_birth", "born_in_us", "immigration_status", "preferred_language",
                                    "interpreter_needed")),
        (_("Where they live and how to reach them safely"), ("town", "phone", "email", "mailing_address",
                                                            "safe_to_call", "safe_to_leave_message", "safe_to_text",
                                                            "safe_to_mail", "safe_contact_notes")),
        (_("Emergency contact"), ("emergency_contact_name", "emergency_contact_relationship",
                                  "emergency_contact_phone")),
        (_("Questions funders ask (optional)"), Survivor.CLASSIFICATION_FIELDS),
    )  # fmt: skip
    SECTION_HELP = {
        Survivor.CLASSIFICATION_FIELDS: _(
            "Ask only when the moment is right, and only what the survivor is willing to answer. "
            "“Not asked” is always fine; funders count only the answers given."
        ),
    }

    def sections(self):
        """The fields in groups, for fieldsets on a long page: (title, help, fields); a group whose
        fields are all hidden is left out."""
        sections = [
            (title, self.SECTION_HELP.get(names, ""), [self[name] for name in names if name in self.fields])
            for title, names in self.SECTIONS
        ]
        return [section for section in sections if section[2]]

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class ReferralForm(forms.ModelForm):
    """Who referred the survivor, when, the intake date, and for a minor the responsible adult and consent."""

    class Meta:
        model = Case
        fields = (*Case.REFERRAL_FIELDS, "opened_on", *GUARDIAN_FIELDS)
        widgets = {
            "referred_on": DateInput(),
            "opened_on": DateInput(),
            "guardian_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "guardian_may_be_contacted": forms.RadioSelect,
        }
        help_texts = {
            "guardian_role": _("Who is responsible for the young person: a parent or guardian, or DCF."),
            "guardian_may_be_contacted": _("Whether it is safe and right to reach them about the young person."),
        }

    def __init__(self, *args, remember_shown: bool = False, asked: fields.Asked | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = ask_as_set(self, asked, "case")
        if remember_shown:
            remember_shown_values(self)
        if "guardian_may_be_contacted" in self.fields:
            self.fields["guardian_may_be_contacted"].choices = ANSWER_OR_NOT_ASKED
        for name in ("guardian_role", "service_consent"):
            if name in self.fields:
                self.fields[name].choices = [("", _("Not recorded")), *self.fields[name].choices[1:]]
        if "referring_organization" in self.fields:
            # A case keeps an organization that has since left the directory.
            self.fields["referring_organization"].queryset = Organization.objects.filter(
                Q(is_active=True) | Q(pk=self.instance.referring_organization_id)
            )

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "referred_on", _("The referral date cannot be in the future."))
        check_not_future(self, "opened_on", _("The intake date cannot be in the future."))
        for name in ("referred_on", "opened_on"):
            day = cleaned.get(name)
            if day and day.year < EARLIEST_YEAR:
                self.add_error(name, _("Give a date from %(year)s on.") % {"year": EARLIEST_YEAR})
        referred, opened = cleaned.get("referred_on"), cleaned.get("opened_on")
        if referred and opened and opened < referred:
            self.add_error(
                "opened_on",
                _("The intake cannot come before the referral (%(date)s).") % {"date": date_format(referred)},
            )
        return cleaned

    def referral(self) -> dict:
        """The case's fields this form gives (not the intake date), as ``services.CASE_FIELDS`` names them."""
        return {
            name: self.cleaned_data[name] for name in (*Case.REFERRAL_FIELDS, *GUARDIAN_FIELDS) if name in self.fields
        }

    def referral_fields(self) -> list:
        return [self[name] for name in self.fields if name not in GUARDIAN_FIELDS]

    def guardian_fields(self) -> list:
        return [self[name] for name in GUARDIAN_FIELDS if name in self.fields]


class StartIntakeForm(ReferralForm):
    """The referral, and who will work with the survivor."""

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

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        teams = teams_for(user)
        self.fields["team"].queryset = teams
        self.fields["specialists"].queryset = specialists_in(teams)
        self.fields["opened_on"].initial = timezone.localdate
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()
        if user.has_role(Role.SPECIALIST):
            self.fields["specialists"].initial = [user]


class AssignCaseForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))
    specialists = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Assigned specialists"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The team's supervisors always see the case, with or without a specialist."),
    )
    note = forms.CharField(
        label=_("Handoff note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For whoever takes over: where things stand, what was promised, how the survivor prefers to be "
            "reached. Needed when the case moves to another team."
        ),
    )

    def __init__(self, *args, user: User, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        teams = Team.objects.filter(Q(pk__in=teams_for(user).values("pk")) | Q(pk=case.team_id))
        self.fields["team"].queryset = teams
        # Current specialists stay listed even if they have left the team, so they can be removed.
        self.fields["specialists"].queryset = User.objects.filter(
            Q(pk__in=specialists_in(teams).values("pk")) | Q(pk__in=case.specialists.values("pk"))
        ).order_by("full_name")
        self.initial.setdefault("team", case.team)
        self.initial.setdefault("specialists", list(case.specialists.all()))


def _multiple(label, choices, help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class ScreeningForm(forms.Form):
    """The Action-Means-Purpose screening and the trafficking context, as one new version."""

    actions = _multiple(
        _("Action: what was done"),
        amp.Action.choices,
        _("Patronizing, soliciting and advertising count only for sex trafficking."),
    )
    means_force = _multiple(_("Means: force"), [(m, m.label) for m in amp.MEANS_BY_KIND[amp.MeansKind.FORCE]])
    means_fraud = _multiple(_("Means: fraud"), [(m, m.label) for m in amp.MEANS_BY_KIND[amp.MeansKind.FRAUD]])
    means_coercion = _multiple(_("Means: coercion"), [(m, m.label) for m in amp.MEANS_BY_KIND[amp.MeansKind.COERCION]])
    purposes = _multiple(_("Purpose"), amp.Purpose.choices)
    unsure = _multiple(
        _("Not yet established"),
        amp.Element.choices,
        _("Tick what the survivor has not said or could not be asked yet; nobody is pressed to tell more."),
    )
    screened_on = forms.DateField(label=_("Screened on"), widget=DateInput(), initial=timezone.localdate)
    age_at_first_exploitation = forms.IntegerField(
        label=_("Age when first exploited"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Under 18: no means needs to be shown for sex trafficking."),
    )
    venue_types = _multiple(_("Venue types"), VenueType.choices)
    control_methods = _multiple(_("Methods of control"), ControlMethod.choices)
    recruitment_method = forms.ChoiceField(
        label=_("How they were recruited"), choices=[("", "—"), *RecruitmentMethod.choices], required=False
    )
    residence = forms.ChoiceField(
        label=_("Where they lived at the time"), choices=[("", "—"), *Residence.choices], required=False
    )
    location = forms.CharField(
        label=_("Where it happened"),
        max_length=200,
        required=False,
        help_text=_("Town, state or country; no street addresses."),
    )
    trafficker_in_contact = forms.NullBooleanField(
        label=_("Trafficker still in contact"), required=False, widget=YesNoUnknown()
    )
    narrative = forms.CharField(
        label=_("What the survivor chose to share"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only what is needed. The survivor never has to tell their story twice."),
    )

    MEANS_FIELDS = ("means_force", "means_fraud", "means_coercion")
    SECTIONS = (
        (_("Action, means and purpose"), ("actions", *MEANS_FIELDS, "purposes", "unsure", "age_at_first_exploitation")),
        (_("Trafficking context"), ("venue_types", "control_methods", "recruitment_method", "residence", "location",
                                    "trafficker_in_contact", "narrative", "screened_on")),
    )  # fmt: skip

    def sections(self):
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.SECTIONS]

    def __init__(self, *args, case: Case, sensitive_allowed: bool, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if not sensitive_allowed:
            for name in Screening.SENSITIVE_FIELDS:
                del self.fields[name]
        if previous is not None and not self.is_bound:
            self.initial.update(self.initial_from(previous, sensitive_allowed=sensitive_allowed))

    @classmethod
    def initial_from(cls, screening: Screening, *, sensitive_allowed: bool) -> dict:
        names = ["actions", "purposes", "unsure", "venue_types", "control_methods", "recruitment_method",
                 "residence", "age_at_first_exploitation", "location"]  # fmt: skip
        if sensitive_allowed:
            names += list(Screening.SENSITIVE_FIELDS)
        initial = {name: getattr(screening, name) for name in names}
        for kind, name in zip(amp.MeansKind, cls.MEANS_FIELDS, strict=True):
            initial[name] = [m for m in screening.means if amp.kind_of(m) == kind]
        return initial

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "screened_on", _("The screening date cannot be in the future."))
        age = cleaned.get("age_at_first_exploitation")
        now = self.case.survivor.age
        if age is not None and now is not None and age > now:
            self.add_error(
                "age_at_first_exploitation",
                _("This is older than the survivor is now (%(age)s).") % {"age": now},
            )
        if not self.errors and not any(cleaned.get(n) for n in ("actions", "purposes", "unsure", *self.MEANS_FIELDS)):
            raise ValidationError(str(amp.EmptyScreening()))
        return cleaned

    def answers(self) -> dict:
        data = self.cleaned_data
        means = [m for name in self.MEANS_FIELDS for m in data[name]]
        return {"actions": data["actions"], "means": means, "purposes": data["purposes"], "unsure": data["unsure"]}

    def context(self) -> dict:
        names = ["screened_on", "venue_types", "control_methods", "recruitment_method", "residence",
                 "age_at_first_exploitation", "location", *Screening.SENSITIVE_FIELDS]  # fmt: skip
        return {name: self.cleaned_data[name] for name in names if name in self.fields}


class EligibilityOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the survivor should be served"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the case's history with your name."),
    )


class OutcomeForm(forms.Form):
    ENROLLED = "enrolled"
    NOT_ENROLLED = "not enrolled"

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(ENROLLED, _("Enrolled")), (NOT_ENROLLED, _("Not enrolled"))],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Outcome date"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("Reason not enrolled"), choices=[("", "—"), *NotEnrolledReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == self.NOT_ENROLLED and not cleaned.get("reason"):
            self.add_error("reason", _("Choose why the survivor was not enrolled."))
        check_not_future(self, "decided_on", _("The outcome date cannot be in the future."))
        day = cleaned.get("decided_on")
        if day and day < self.case.opened_on:
            self.add_error(
                "decided_on",
                _("The outcome cannot come before the intake (%(date)s).") % {"date": date_format(self.case.opened_on)},
            )
        return cleaned


class MandatedReportForm(forms.ModelForm):
    class Meta:
        model = MandatedReport
        fields = ("kind", "made_at", "made_by", "reference", "notes")
        widgets = {
            "made_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["made_by"].initial = user.full_name
        self.fields["made_at"].initial = lambda: timezone.localtime().replace(second=0, microsecond=0)
        self.fields["kind"].initial = MandatedReport.Kind.CARELINE

    def clean(self):
        cleaned = super().clean()
        made_at = cleaned.get("made_at")
        if made_at and made_at > timezone.now():
            self.add_error("made_at", _("This cannot be in the future."))
        if made_at and made_at.year < EARLIEST_YEAR:
            self.add_error("made_at", _("Give a date from %(year)s on.") % {"year": EARLIEST_YEAR})
        if cleaned.get("kind") == MandatedReport.Kind.CARELINE and not cleaned.get("reference"):
            self.add_error("reference", _("Give the reference number the Careline gave."))
        return cleaned


# Dates before this are typing mistakes, not history.
EARLIEST_YEAR = 2000


class FamilyMemberForm(forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = ("name", "relation", "relationship", "date_of_birth", "notes")
        widgets = {"date_of_birth": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"relation": _("How they are related to the survivor")}
        help_texts = {"relationship": _("Optional: how the survivor puts it, such as “my aunt who raised me”.")}

    # The relation may be chosen, or written in the survivor's words, or both: the service
    # (``add_family_member``) refuses a member with neither.

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "date_of_birth", _("The date of birth cannot be in the future."))
        return cleaned


class DuplicateCheckForm(forms.Form):
    """What the intake form sends while a name and birth date are typed; bad values are ignored."""

    legal_name = forms.CharField(required=False, max_length=200)
    preferred_name = forms.CharField(required=False, max_length=200)
    date_of_birth = forms.DateField(required=False)

    def names(self) -> list[str]:
        data = self.cleaned_data
        return [data.get("legal_name") or "", data.get("preferred_name") or ""]


class CloseRequestForm(forms.Form):
    """Closing a request for help without an intake, and why."""

    reason = forms.CharField(
        label=_("Why no intake"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: already known to the program, or the number did not reach them."),
    )
