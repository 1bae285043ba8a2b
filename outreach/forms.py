"""Forms for volunteers, outreach sessions, hand-offs to intake, partnership activities and the
dashboard's filter.

The session form is entered on a phone in the street: counts take a numeric keypad, choices
are large checkboxes, and nothing needs a precise location. The rules that depend on other
records (a volunteer booked elsewhere, an inactive volunteer) live in ``outreach.services``;
the views show a refusal beside the field it names and keep what was typed.
"""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bloom import intake
from bloom.accounts.models import Role, Team, User
from bloom.directory.models import Organization, Town
from bloom.forms import DateInput, TimeInput, day_problem
from bloom.vocabulary import HelpNeed, VenueType
from outreach.models import LONGEST_TRAINING_HOURS, OutreachSession, PartnershipActivity, Volunteer
from outreach.services import PartnershipDetails, SessionDetails

COUNT = {"inputmode": "numeric", "pattern": "[0-9]*", "min": "0", "autocomplete": "off", "class": "input--count"}
YES_NO_NOT_ASKED = [("", _("Not asked")), ("yes", _("Yes")), ("no", _("No"))]
NO_TRACE = {"autocomplete": "off"}


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class CountField(forms.IntegerField):
    """A count typed on a phone's numeric keypad; empty means none."""

    def __init__(self, **kwargs):
        super().__init__(required=False, widget=forms.NumberInput(attrs=COUNT), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return 0 if value is None else value


class SessionForm(forms.Form):
    # The service speaks of the session's start and end; this form has a day and two times.
    refusal_fields = {"starts_at": "starts", "ends_at": "ends"}

    day = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Started"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ended"), widget=TimeInput())
    ended_after_midnight = forms.BooleanField(label=_("Ended after midnight"), required=False)
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.order_by("name"))
    venue_types = forms.MultipleChoiceField(
        label=_("Kinds of venue"), choices=VenueType.choices, widget=forms.CheckboxSelectMultiple
    )
    area = forms.CharField(
        label=_("Area"),
        max_length=_max(OutreachSession, "area"),
        help_text=OutreachSession._meta.get_field("area").help_text,
    )
    lead = forms.ModelChoiceField(label=_("Outreach worker"), queryset=User.objects.none())
    volunteers = forms.ModelMultipleChoiceField(
        label=_("Volunteers"),
        queryset=Volunteer.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Active volunteers are listed."),
    )
    people_contacted = CountField(label=_("People contacted"))
    hotline_cards = CountField(label=_("Hotline cards"))
    hygiene_kits = CountField(label=_("Hygiene kits"))
    food_items = CountField(label=_("Food"), help_text=_("Meals, snacks or bags given."))
    resource_sheets = CountField(label=_("Resource sheets"))
    possibly_identified = CountField(
        label=_("People possibly identified"), help_text=_("People who may be being trafficked, by your judgement.")
    )
    safety_incidents = CountField(label=_("Safety incidents"))
    incident_notes = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No names of the people you met, and nothing that says where someone can be found."),
    )

    def __init__(self, *args, session: OutreachSession | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = User.objects.filter(is_active=True, groups__name=Role.OUTREACH_WORKER).order_by(
            "full_name"
        )
        # Any volunteer is accepted here so that one who is not active gets a clear message
        # from the service; the checkboxes offer the active ones and those already on the team.
        shown = Volunteer.objects.filter(status=Volunteer.Status.ACTIVE)
        if session is not None:
            shown = shown | Volunteer.objects.filter(sessions=session)
        shown = shown.distinct().order_by("full_name", "pk")
        self.fields["volunteers"].widget.choices = [(v.pk, v.full_name) for v in shown]

    def clean_day(self):
        day = self.cleaned_data["day"]
        problem = day_problem(day)
        if problem:
            raise forms.ValidationError(problem, code="out_of_range")
        return day

    @staticmethod
    def initial_for(session: OutreachSession) -> dict:
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {
            "day": starts.date(),
            "starts": starts.time(),
            "ends": ends.time(),
            "ended_after_midnight": ends.date() > starts.date(),
            "town": session.town,
            "venue_types": session.venue_types,
            "area": session.area,
            "lead": session.lead,
            "volunteers": list(session.volunteers.all()),
            "incident_notes": session.incident_notes,
            "notes": session.notes,
            **{name: getattr(session, name) for name in OutreachSession.COUNT_FIELDS},
        }

    def details(self) -> SessionDetails:
        data = self.cleaned_data
        starts = timezone.make_aware(datetime.combine(data["day"], data["starts"]))
        end_day = data["day"] + timedelta(days=1) if data["ended_after_midnight"] else data["day"]
        ends = timezone.make_aware(datetime.combine(end_day, data["ends"]))
        return SessionDetails(
            starts_at=starts,
            ends_at=ends,
            town=data["town"],
            venue_types=list(data["venue_types"]),
            area=data["area"],
            lead=data["lead"],
            volunteers=list(data["volunteers"]),
            counts={name: data[name] for name in OutreachSession.COUNT_FIELDS},
            incident_notes=data["incident_notes"],
            notes=data["notes"],
        )


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class HandOffForm(forms.Form):
    """Only what the person agreed to share, for a team's intake to reach out."""

    team = forms.ModelChoiceField(
        label=_("Pass to the intake of"), queryset=Team.objects.order_by("name"), empty_label=None
    )
    name = forms.CharField(
        label=_("What they want to be called"),
        max_length=200,
        help_text=_("A first name or a nickname is enough."),
        widget=forms.TextInput(attrs=NO_TRACE),
    )
    age = forms.IntegerField(
        label=_("Age, if they said"),
        required=False,
        widget=forms.NumberInput(attrs={**COUNT, "class": ""}),
        help_text=_("Under 18: intake will make the DCF Careline report."),
    )
    language = forms.CharField(
        label=_("Language"), max_length=60, required=False, widget=forms.TextInput(attrs=NO_TRACE)
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={**NO_TRACE, "inputmode": "tel"}),
    )
    safe_to_call = forms.ChoiceField(
        label=_("Safe to call?"), choices=YES_NO_NOT_ASKED, required=False, widget=forms.RadioSelect
    )
    safe_to_text = forms.ChoiceField(
        label=_("Safe to text?"), choices=YES_NO_NOT_ASKED, required=False, widget=forms.RadioSelect
    )
    safe_to_leave_message = forms.ChoiceField(
        label=_("Safe to leave a message?"), choices=YES_NO_NOT_ASKED, required=False, widget=forms.RadioSelect
    )
    how_to_reach = forms.CharField(
        label=_("How and when to reach them safely"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **NO_TRACE}),
    )
    needs = forms.MultipleChoiceField(
        label=_("What they asked for help with"),
        choices=HelpNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    in_their_words = forms.CharField(
        label=_("In their words"), required=False, widget=forms.Textarea(attrs={"rows": 3, **NO_TRACE})
    )
    agreed = forms.BooleanField(
        label=_("They agreed that the program may have this and reach out to them"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        teams = self.fields["team"].queryset
        if len(teams) == 1:
            self.initial.setdefault("team", teams[0])

    def request_for_help(self) -> intake.RequestForHelp:
        data = self.cleaned_data
        return intake.RequestForHelp(
            team=data["team"],
            met_on=timezone.localdate(),  # set again from the session by the service
            where="",
            name=data["name"],
            age=data["age"],
            language=data["language"],
            phone=data["phone"],
            safe_to_call=_yes_no(data["safe_to_call"]),
            safe_to_text=_yes_no(data["safe_to_text"]),
            safe_to_leave_message=_yes_no(data["safe_to_leave_message"]),
            how_to_reach=data["how_to_reach"],
            needs=list(data["needs"]),
            in_their_words=data["in_their_words"],
            agreed=data["agreed"],
        )


class VolunteerForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=_max(Volunteer, "full_name"))
    email = forms.EmailField(label=_("Email"), max_length=_max(Volunteer, "email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=_max(Volunteer, "phone"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Volunteer.Status.choices)
    applied_on = forms.DateField(label=_("Applied on"), widget=DateInput())
    background_checked_on = forms.DateField(label=_("Background check done on"), required=False, widget=DateInput())
    trained_on = forms.DateField(label=_("Volunteer training completed on"), required=False, widget=DateInput())
    languages = forms.CharField(
        label=_("Languages"), max_length=_max(Volunteer, "languages"), required=False,
        help_text=_("Separate them with commas."),
    )  # fmt: skip
    skills = forms.CharField(label=_("Skills"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    availability = forms.CharField(
        label=_("Availability"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: weekday evenings."),
    )  # fmt: skip
    emergency_contact_name = forms.CharField(
        label=_("Emergency contact"), max_length=_max(Volunteer, "emergency_contact_name"), required=False
    )
    emergency_contact_phone = forms.CharField(
        label=_("Emergency contact's phone"), max_length=_max(Volunteer, "emergency_contact_phone"), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    user = forms.ModelChoiceField(
        label=_("Sign-in account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Only if they sign in to Bloom: they then see their own sessions and hours."),
    )

    def __init__(self, *args, volunteer: Volunteer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = User.objects.filter(is_active=True, groups__name=Role.VOLUNTEER)
        if volunteer is not None and volunteer.user_id:
            # Their current account stays a choice even once it is switched off or loses the role,
            # so the rest of the record can still be corrected.
            accounts = accounts | User.objects.filter(pk=volunteer.user_id)
        self.fields["user"].queryset = accounts.distinct().order_by("full_name")

    @staticmethod
    def initial_for(volunteer: Volunteer) -> dict:
        return {**{name: getattr(volunteer, name) for name in Volunteer.DETAIL_FIELDS}, "user": volunteer.user}

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in Volunteer.DETAIL_FIELDS}


class TrainingForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    hours = forms.DecimalField(
        label=_("Hours"), required=False, min_value=0, max_value=LONGEST_TRAINING_HOURS, decimal_places=1
    )


class PartnershipForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Type"), choices=PartnershipActivity.Kind.choices, widget=forms.RadioSelect)
    on = forms.DateField(label=_("Date"), widget=DateInput())
    people_involved = forms.CharField(
        label=_("People involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=PartnershipActivity._meta.get_field("people_involved").help_text,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PartnershipActivity._meta.get_field("notes").help_text,
    )

    def __init__(self, *args, activity: PartnershipActivity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        listed = Organization.objects.filter(is_active=True)
        if activity is not None:
            listed = listed | Organization.objects.filter(pk=activity.organization_id)
        self.fields["organization"].queryset = listed.order_by("name")

    @staticmethod
    def initial_for(activity: PartnershipActivity) -> dict:
        return {name: getattr(activity, name) for name in ("organization", "kind", "on", "people_involved", "notes")}

    def details(self) -> PartnershipDetails:
        return PartnershipDetails(**self.cleaned_data)


class DashboardForm(forms.Form):
    """The dashboard's period and, optionally, one town or kind of venue."""

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    town = forms.ModelChoiceField(
        label=_("Town"), queryset=Town.objects.order_by("name"), required=False, empty_label=_("All towns")
    )
    venue = forms.ChoiceField(
        label=_("Kind of venue"), choices=[("", _("All kinds")), *VenueType.choices], required=False
    )

    LONGEST_DAYS = 366 * 10

    @classmethod
    def default(cls, today) -> "DashboardForm":
        start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
        return cls({"start": start.isoformat(), "end": today.isoformat()})

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            if data.get(name) and day_problem(data[name]):
                self.add_error(name, day_problem(data[name]))  # also takes it out of cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif (end - start).days > self.LONGEST_DAYS:
                self.add_error("start", _("Choose a period of at most ten years."))
        return data

    def sessions(self, sessions):
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        sessions = sessions.filter(
            starts_at__gte=datetime.combine(data["start"], time.min, tzinfo=zone),
            starts_at__lt=datetime.combine(data["end"] + timedelta(days=1), time.min, tzinfo=zone),
        )
        if data.get("town"):
            sessions = sessions.filter(town=data["town"])
        # The kind of venue is picked out by ``queries.dashboard`` (a JSON list: the demo's
        # SQLite cannot look inside it).
        return sessions
