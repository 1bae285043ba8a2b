"""Hostile input to every page of outreach: sessions, hand-offs to intake, volunteers and their
trainings, partnership activities, and the dashboard's filter.

Each ``Target`` says how its view builds the forms and what the view does with a post; the
harness gives every field every hostile value of its kind, then posts a few through HTTP.
What must hold of the stored records afterwards is ``assert_outreach_consistent``. What a
hand-off passes on is read afterwards where it went: the team's intake queue.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from bloom.accounts.models import Role
from bloom.directory.models import Organization
from bloom.forms import csv_cell
from bloom.vocabulary import HelpNeed, VenueType
from cases.models import Case, IntakeRequest
from cases.services.inbox import LONGEST_NOTE as LONGEST_REQUEST_NOTE
from cases.services.inbox import start_intake_from
from outreach import access, charts, queries, services
from outreach.forms import DashboardForm, HandOffForm, PartnershipForm, SessionForm, TrainingForm, VolunteerForm
from outreach.models import (
    LONGEST_SESSION_HOURS,
    HandOff,
    OutreachSession,
    PartnershipActivity,
    Volunteer,
    VolunteerTraining,
)
from outreach.views import CSV_GROUPS, CSV_HEADER
from tests.factories import form_errors, log_outreach, make_town, make_user, make_volunteer
from tests.hostile.corpus import MARKER, MARKUP, values_for
from tests.hostile.harness import (
    Target,
    as_post,
    assert_no_live_markup,
    attack,
    every_row_has_history,
    post_through_http,
    saved,
)
from tests.hostile.test_cases import TARGETS as CASE_TARGETS
from tests.objects import Objects


def today():
    return timezone.localdate()


def days_ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


# Submits: what each view does with a valid post --------------------------------------------------


def _dashboard_form(o: Objects, data, files) -> DashboardForm:
    """The filter as ``outreach.views._filter`` builds it: without a period, the default one."""
    if {"start", "end"} & set(data or ()):
        return DashboardForm(data)
    return DashboardForm.default(today())


def _figures(o: Objects, form: DashboardForm) -> queries.Dashboard:
    sessions = form.sessions(access.visible_sessions(o.world.supervisor))
    return queries.dashboard(sessions, venue=form.cleaned_data.get("venue", ""))


def _dashboard(o: Objects, form: DashboardForm) -> bool:
    if form.is_valid():
        charts.dashboard_charts(_figures(o, form))
    return False


def _export(o: Objects, form: DashboardForm) -> bool:
    """The export, written by each of its groupings (its ``by`` is read beside the form)."""
    if form.is_valid():
        figures = _figures(o, form)
        for by, rows in (("month", figures.by_month), ("town", figures.by_town), ("venue", figures.by_venue)):
            writer = csv.writer(io.StringIO())
            writer.writerow(CSV_HEADER)
            for group in rows:
                label = group.extra["month"].strftime("%Y-%m") if by == "month" else group.label
                writer.writerow([csv_cell(label), *group.values()])
            writer.writerow(["total", *figures.total.values()])
    return False


def _read_as_intake_does(o: Objects) -> None:
    """What was passed on is read where it went, as a specialist of its team: the queue and each
    request; an intake starts from each, and the case's pages show what came with it.

    A case's pages are opened for the requests that carried markup: only markup can be live on them.
    """
    readers = {o.world.team_a.pk: o.world.specialist, o.world.team_b.pk: o.world.outsider}
    clients = {team: Client() for team in readers}
    for team, client in clients.items():
        client.force_login(readers[team])
        queue = client.get("/cases/intake-requests/")
        assert queue.status_code == 200
        assert_no_live_markup(queue.text, "the intake queue")
    for row in IntakeRequest.objects.filter(status=IntakeRequest.Status.WAITING):
        client, url = clients[row.team_id], f"/cases/intake-requests/{row.pk}/"
        page = client.get(url)
        assert page.status_code == 200, url
        assert_no_live_markup(page.text, url)
        case = start_intake_from(row, by=readers[row.team_id])
        if MARKER not in " ".join([row.name, row.language, row.phone, row.how_to_reach, row.in_their_words]):
            continue
        for shown in (f"/cases/{case.pk}/", f"/cases/{case.pk}/edit/"):
            page = client.get(shown)
            assert page.status_code == 200, shown
            assert_no_live_markup(page.text, shown)


# Valid posts ---------------------------------------------------------------------------------------

AREA = "Park Street, between Main and Broad"


def valid_session(o: Objects, *, volunteers=()) -> dict:
    """Yesterday evening on the street and at a motel, with what was given and seen.

    A new session's valid post has no volunteer, so it can be stored again and again (a volunteer
    would be double-booked the second time); the correction keeps one on the same session.
    """
    return {
        "day": days_ago(1),
        "starts": "18:00",
        "ends": "20:30",
        "town": o.town.pk,
        "venue_types": ["street", "hotel"],
        "area": AREA,
        "lead": o.world.outreach.pk,
        "volunteers": [volunteer.pk for volunteer in volunteers],
        "people_contacted": "12",
        "hotline_cards": "30",
        "hygiene_kits": "4",
        "possibly_identified": "2",
        "notes": "Quiet evening; most cards went at the bus shelter.",
    }


def valid_hand_off(o: Objects) -> dict:
    return {
        "team": o.world.team_a.pk,
        "name": "Rosa",
        "age": "34",
        "language": "Spanish",
        "phone": "860-555-0142",
        "safe_to_text": "yes",
        "safe_to_call": "no",
        "how_to_reach": "Text after 9 at night.",
        "needs": ["safe place", "food"],
        "in_their_words": "Wants somewhere safe to sleep.",
        "agreed": "on",
    }


def valid_new_volunteer(o: Objects) -> dict:
    return {
        "full_name": "Vera Volunteer",
        "status": "background checked",
        "applied_on": days_ago(30),
        "background_checked_on": days_ago(10),
        "languages": "English, Spanish",
    }


def valid_volunteer(o: Objects) -> dict:
    return {
        "full_name": "Val Volunteer",
        "status": "active",
        "applied_on": days_ago(90),
        "background_checked_on": days_ago(60),
        "trained_on": days_ago(30),
        "user": o.world.volunteer.pk,
        "availability": "Weekday evenings",
    }


def valid_partnership(o: Objects) -> dict:
    return {
        "organization": o.organization.pk,
        "kind": "information sharing",
        "on": days_ago(1),
        "people_involved": "Their outreach lead",
        "notes": "Shared hotline cards for their front desk.",
    }


def valid_period(o: Objects) -> dict:
    return {"start": days_ago(60), "end": today().isoformat(), "town": o.town.pk, "venue": "street"}


def session_page(o: Objects) -> str:
    return f"/outreach/sessions/{o.session.pk}/"


def volunteer_page(o: Objects) -> str:
    return f"/outreach/volunteers/{o.volunteer_record.pk}/"


def latest_session_pages() -> list[str]:
    return [f"/outreach/sessions/{s.pk}/" for s in OutreachSession.objects.order_by("-pk")[:1]]


TARGETS = [
    Target(
        "outreach/sessions/new/",
        "outreach",
        bind=lambda o, data, files: SessionForm(data or None, initial={"lead": o.world.outreach, "day": today()}),
        valid=valid_session,
        submit=saved(
            lambda o, form: services.log_session(by=o.world.outreach, details=form.details()), ValidationError
        ),
        path=lambda o: "/outreach/sessions/new/",
        shows=lambda o: [*latest_session_pages(), "/outreach/", "/outreach/dashboard/"],
    ),
    Target(
        "outreach/sessions/<int:pk>/edit/",
        "outreach",
        bind=lambda o, data, files: SessionForm(
            data or None, initial=SessionForm.initial_for(o.session), session=o.session
        ),
        valid=lambda o: valid_session(o, volunteers=[o.volunteer_record]),
        submit=saved(
            lambda o, form: services.change_session(o.session, by=o.world.outreach, details=form.details()),
            ValidationError,
        ),
        path=lambda o: f"{session_page(o)}edit/",
        shows=lambda o: [session_page(o), volunteer_page(o), "/outreach/", "/outreach/dashboard/"],
    ),
    # What the person shared goes to the intake queue, which outreach cannot read: the attack's
    # ``after`` reads every request stored as the team's intake does.
    Target(
        "outreach/sessions/<int:pk>/hand-off/",
        "outreach",
        bind=lambda o, data, files: HandOffForm(data or None),
        valid=valid_hand_off,
        submit=saved(
            lambda o, form: services.hand_off(o.session, by=o.world.outreach, request=form.request_for_help()),
            ValidationError,
        ),
        path=lambda o: f"{session_page(o)}hand-off/",
        # What the person shared goes to the team's queue, which outreach cannot read: `after` reads it there.
        shows_text=False,
        shows=lambda o: [session_page(o)],
        after=_read_as_intake_does,
    ),
    Target(
        "outreach/volunteers/new/",
        "outreach",
        bind=lambda o, data, files: VolunteerForm(data or None, initial={"applied_on": today()}),
        valid=valid_new_volunteer,
        submit=saved(
            lambda o, form: services.save_volunteer(
                None, by=o.world.outreach, details=form.details(), account=form.cleaned_data["user"]
            ),
            ValidationError,
        ),
        path=lambda o: "/outreach/volunteers/new/",
        shows=lambda o: [
            "/outreach/volunteers/",
            *(f"/outreach/volunteers/{v.pk}/" for v in Volunteer.objects.order_by("-pk")[:1]),
        ],
    ),
    Target(
        "outreach/volunteers/<int:pk>/edit/",
        "outreach",
        bind=lambda o, data, files: VolunteerForm(
            data or None, initial=VolunteerForm.initial_for(o.volunteer_record), volunteer=o.volunteer_record
        ),
        valid=valid_volunteer,
        submit=saved(
            lambda o, form: services.save_volunteer(
                o.volunteer_record, by=o.world.outreach, details=form.details(), account=form.cleaned_data["user"]
            ),
            ValidationError,
        ),
        path=lambda o: f"{volunteer_page(o)}edit/",
        shows=lambda o: ["/outreach/volunteers/", volunteer_page(o)],
    ),
    # Refused, the volunteer's page is shown again with the training form's messages (400).
    Target(
        "outreach/volunteers/<int:pk>/trainings/new/",
        "outreach",
        bind=lambda o, data, files: TrainingForm(data),
        valid=lambda o: {"on": today().isoformat(), "topic": "Refresher on safety planning", "hours": "2.5"},
        submit=saved(
            lambda o, form: services.add_training(o.volunteer_record, by=o.world.outreach, **form.cleaned_data),
            ValidationError,
        ),
        path=lambda o: f"{volunteer_page(o)}trainings/new/",
        shows=lambda o: [volunteer_page(o)],
    ),
    Target(
        "outreach/partnerships/new/",
        "outreach",
        bind=lambda o, data, files: PartnershipForm(data or None, initial={"on": today()}),
        valid=valid_partnership,
        submit=saved(
            lambda o, form: services.record_partnership(None, by=o.world.outreach, details=form.details()),
            ValidationError,
        ),
        path=lambda o: "/outreach/partnerships/new/",
        shows=lambda o: ["/outreach/partnerships/"],
    ),
    Target(
        "outreach/partnerships/<int:pk>/edit/",
        "outreach",
        bind=lambda o, data, files: PartnershipForm(
            data or None, initial=PartnershipForm.initial_for(o.partnership), activity=o.partnership
        ),
        valid=valid_partnership,
        submit=saved(
            lambda o, form: services.record_partnership(o.partnership, by=o.world.outreach, details=form.details()),
            ValidationError,
        ),
        path=lambda o: f"/outreach/partnerships/{o.partnership.pk}/edit/",
        shows=lambda o: ["/outreach/partnerships/"],
    ),
    # The dashboard's filter, and the export's (its ``by`` is read beside the form).
    Target(
        "outreach/dashboard/",
        "supervisor",
        bind=_dashboard_form,
        valid=valid_period,
        submit=_dashboard,
        path=lambda o: "/outreach/dashboard/",
        stores=False,
        status=200,
        method="get",
    ),
    Target(
        "outreach/dashboard.csv",
        "supervisor",
        bind=_dashboard_form,
        valid=lambda o: {**valid_period(o), "by": "town"},
        submit=_export,
        path=lambda o: "/outreach/dashboard.csv",
        stores=False,
        status=200,
        method="get",
    ),
]


def assert_outreach_consistent() -> None:
    """Sessions that add up, a volunteer in one place at a time, requests for help as intake left them."""
    sessions = OutreachSession.objects.all()
    assert not sessions.exclude(lead__groups__name=Role.OUTREACH_WORKER).exists()
    for session in sessions:
        length = session.ends_at - session.starts_at
        assert length <= timedelta(hours=LONGEST_SESSION_HOURS), session.pk
        assert session.minutes == int(length.total_seconds() // 60), session.pk
        venues = session.venue_types
        assert isinstance(venues, list), session.pk
        assert venues, session.pk
        assert len(set(venues)) == len(venues), session.pk
        assert set(venues) <= set(VenueType.values), session.pk
        assert session.area == session.area.strip(), session.pk
    # Nobody is on two sessions at the same time.
    team = OutreachSession.volunteers.through.objects
    elsewhere = team.filter(
        volunteer=OuterRef("volunteer"),
        outreachsession__starts_at__lt=OuterRef("outreachsession__ends_at"),
        outreachsession__ends_at__gt=OuterRef("outreachsession__starts_at"),
    ).exclude(outreachsession=OuterRef("outreachsession"))
    assert not team.filter(Exists(elsewhere)).exists()
    # Volunteers: dates not ahead, a sign-in only for someone with the volunteer role.
    volunteers = Volunteer.objects.all()
    for name in ("applied_on", "background_checked_on", "trained_on"):
        assert not volunteers.filter(**{f"{name}__gt": today()}).exists(), name
    assert not volunteers.filter(user__isnull=False).exclude(user__groups__name=Role.VOLUNTEER).exists()
    for volunteer in volunteers:
        assert volunteer.full_name.strip(), volunteer.pk
    assert not VolunteerTraining.objects.filter(on__gt=today()).exists()
    assert not PartnershipActivity.objects.filter(on__gt=today()).exists()
    # Requests for help: outreach kept only that each was passed on; each is waiting, or was decided
    # by someone with an intake started (on its team) or a reason for none.
    requests = IntakeRequest.objects.all()
    assert HandOff.objects.count() == requests.count()
    assert not requests.exclude(status__in=IntakeRequest.Status.values).exists()
    waiting = requests.filter(status=IntakeRequest.Status.WAITING)
    undecided = Q(decided_by__isnull=True, decided_at__isnull=True, case__isnull=True, closed_reason="")
    assert not waiting.exclude(undecided).exists()
    decided = requests.exclude(status=IntakeRequest.Status.WAITING)
    assert not decided.filter(Q(decided_by__isnull=True) | Q(decided_at__isnull=True)).exists()
    started = requests.filter(status=IntakeRequest.Status.STARTED)
    assert not started.exclude(case__team=F("team")).exists()
    assert not requests.filter(Q(age__lt=1) | Q(met_on__gt=today())).exists()
    for row in requests:
        assert row.name.strip(), row.pk
        assert row.name == row.name.strip(), row.pk
        assert isinstance(row.needs, list), row.pk
        assert len(set(row.needs)) == len(row.needs), row.pk
        assert set(row.needs) <= set(HelpNeed.values), row.pk
        assert max(len(row.how_to_reach), len(row.in_their_words), len(row.closed_reason)) <= LONGEST_REQUEST_NOTE


BY_ROUTE = pytest.mark.parametrize("target", TARGETS, ids=str)


@BY_ROUTE
def test_every_field_takes_every_hostile_value(objects, target):
    outcome = attack(target, objects)

    target.after(objects)
    assert_outreach_consistent()
    every_row_has_history()
    assert outcome.stored > 0 or not target.stores, f"nothing was stored: refused {outcome.refused}"


@BY_ROUTE
def test_hostile_posts_through_the_whole_stack(objects, target):
    post_through_http(target, objects)

    assert_outreach_consistent()
    every_row_has_history()


# The dashboard's export through HTTP: hostile filters and hostile town names -----------------------

DASHBOARD_PAGES = ("/outreach/dashboard/", "/outreach/dashboard.csv")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BY = forms.ChoiceField(choices=[(by, by) for by in CSV_GROUPS])


def test_dashboard_filter(objects):
    o = objects
    hostile_town = make_town(MARKUP[0])
    log_outreach(o.world.outreach, town=hostile_town, people_contacted=3, venue_types=("street", "massage"))
    log_outreach(o.world.outreach, town=make_town("=HYPERLINK(1)"), people_contacted=1)
    client = Client()
    client.force_login(o.world.supervisor)
    valid = {"start": days_ago(60), "end": today().isoformat(), "town": hostile_town.pk, "by": "town"}
    fields = [*DashboardForm(as_post(valid)[0]).fields.items(), ("by", BY)]
    sent = shown = 0

    for name, field_ in fields:
        for hostile in values_for(field_):
            data, _files = as_post({**valid, name: hostile.value})
            for path in DASHBOARD_PAGES:
                response = client.get(path, data)
                sent += 1
                where = f"{path} ({name} = {hostile.label})"
                assert response.status_code in (200, 400), where
                if response["Content-Type"].startswith("text/csv"):
                    assert response.status_code == 200, where
                    rows = list(csv.reader(io.StringIO(response.content.decode())))
                    assert rows[0] == CSV_HEADER, where
                    assert all(len(row) == len(CSV_HEADER) for row in rows), where
                    assert not any(row[0].startswith(FORMULA_STARTS) for row in rows), where
                else:
                    assert_no_live_markup(response.text, where)
                shown += response.status_code == 200

    assert sent >= 100
    assert shown > 0, "no filter was answered with figures"


# Named hostile posts: each is refused with its message beside the field, what was typed is shown
# again, and nothing is stored.

ATTACKED = {target.route: target for target in [*TARGETS, *CASE_TARGETS]}
HOSTILE_SCRIPT = MARKUP[0]
LONG_HOSTILE_TEXT = HOSTILE_SCRIPT + "a" * 5000


@dataclass(frozen=True)
class Refusal:
    route: str  # a target's route: where to post, as whom, and the valid post that is spoiled
    spoil: Callable[[Objects], dict]  # what changes in the valid post; None leaves a field out
    field: str  # the field whose message shows ("__all__": above the form)
    kept: Callable[[Objects], str]  # what the page shows again, as the page writes it
    status: int = 200


def typed(name: str, value: str) -> str:
    """How an input shows again what was typed in it."""
    return f'name="{name}" value="{escape(value)}"'


def future(days: int = 3) -> str:
    return (today() + timedelta(days=days)).isoformat()


def inactive_volunteer_of(o: Objects) -> Volunteer:
    return make_volunteer(o.world.outreach, full_name="Ivy Inactive", status="inactive")


def booked_volunteer_of(o: Objects) -> Volunteer:
    """An active volunteer already out yesterday from 19:00 to 21:00, across the valid session's time."""
    volunteer = make_volunteer(o.world.outreach, full_name="Bo Booked")
    starts_at = timezone.make_aware(datetime.combine(today() - timedelta(days=1), time(19, 0)))
    log_outreach(o.world.outreach, town=o.town, starts_at=starts_at, volunteers=[volunteer])
    return volunteer


def someone_elses_account(o: Objects):
    other = make_user(Role.VOLUNTEER, full_name="Olga Other")
    make_volunteer(o.world.outreach, full_name="Olga Other", user=other)
    return other


def closed_organization_of(o: Objects) -> Organization:
    return Organization.objects.create(name="Closed Shelter", is_active=False)


NEW_SESSION, EDIT_SESSION = "outreach/sessions/new/", "outreach/sessions/<int:pk>/edit/"
HAND_OFF = "outreach/sessions/<int:pk>/hand-off/"
NEW_VOLUNTEER, EDIT_VOLUNTEER = "outreach/volunteers/new/", "outreach/volunteers/<int:pk>/edit/"
TRAINING = "outreach/volunteers/<int:pk>/trainings/new/"
NEW_ACTIVITY, EDIT_ACTIVITY = "outreach/partnerships/new/", "outreach/partnerships/<int:pk>/edit/"
CLOSE_REQUEST = "cases/intake-requests/<int:pk>/close/"
AREA_KEPT = typed("area", AREA)

REFUSALS: dict[str, Refusal] = {
    # Sessions
    "negative count": Refusal(NEW_SESSION, lambda o: {"hotline_cards": "-3"}, "hotline_cards",
                              lambda o: typed("hotline_cards", "-3")),
    "count above the largest": Refusal(NEW_SESSION, lambda o: {"people_contacted": "10001"}, "people_contacted",
                                       lambda o: typed("people_contacted", "10001")),
    "count of forty digits": Refusal(NEW_SESSION, lambda o: {"hygiene_kits": "9" * 40}, "hygiene_kits",
                                     lambda o: typed("hygiene_kits", "9" * 40)),
    "count that is not a number": Refusal(NEW_SESSION, lambda o: {"food_items": "lots"}, "food_items",
                                          lambda o: typed("food_items", "lots")),
    "more identified than contacted": Refusal(NEW_SESSION, lambda o: {"people_contacted": "2",
                                              "possibly_identified": "5"}, "possibly_identified",
                                              lambda o: typed("possibly_identified", "5")),
    "end before start": Refusal(NEW_SESSION, lambda o: {"starts": "20:00", "ends": "18:00"}, "ends",
                                lambda o: typed("starts", "20:00")),
    "longer than a session lasts": Refusal(NEW_SESSION, lambda o: {"starts": "06:00", "ends": "23:30"}, "ends",
                                           lambda o: typed("ends", "23:30")),
    "day at the calendar's end": Refusal(NEW_SESSION, lambda o: {"day": "9999-12-31", "ended_after_midnight": "on"},
                                         "day", lambda o: typed("day", "9999-12-31")),
    "inactive volunteer": Refusal(NEW_SESSION, lambda o: {"volunteers": [inactive_volunteer_of(o).pk]}, "volunteers",
                                  lambda o: "Ivy Inactive"),
    "double-booked volunteer": Refusal(NEW_SESSION, lambda o: {"volunteers": [booked_volunteer_of(o).pk]},
                                       "volunteers", lambda o: "Bo Booked"),
    "volunteer who does not exist": Refusal(NEW_SESSION, lambda o: {"volunteers": ["999999"]}, "volunteers",
                                            lambda o: AREA_KEPT),
    "volunteer id that is not a number": Refusal(NEW_SESSION, lambda o: {"volunteers": ["1 OR 1=1"]}, "volunteers",
                                                 lambda o: AREA_KEPT),
    "town that does not exist": Refusal(NEW_SESSION, lambda o: {"town": "999999"}, "town", lambda o: AREA_KEPT),
    "kind of venue not on the list": Refusal(NEW_SESSION, lambda o: {"venue_types": ["casino"]}, "venue_types",
                                             lambda o: AREA_KEPT),
    "no kind of venue": Refusal(NEW_SESSION, lambda o: {"venue_types": None}, "venue_types", lambda o: AREA_KEPT),
    "lead who is not an outreach worker": Refusal(NEW_SESSION, lambda o: {"lead": o.world.specialist.pk}, "lead",
                                                  lambda o: AREA_KEPT),
    "incident without a word on it": Refusal(NEW_SESSION, lambda o: {"safety_incidents": "1"}, "incident_notes",
                                             lambda o: typed("safety_incidents", "1")),
    "script and very long notes": Refusal(NEW_SESSION, lambda o: {"notes": LONG_HOSTILE_TEXT}, "notes",
                                          lambda o: escape(LONG_HOSTILE_TEXT)),
    "script in the area beside a negative count": Refusal(NEW_SESSION, lambda o: {"area": HOSTILE_SCRIPT,
                                                          "resource_sheets": "-1"}, "resource_sheets",
                                                          lambda o: typed("area", HOSTILE_SCRIPT)),
    "edit ending before it starts": Refusal(EDIT_SESSION, lambda o: {"starts": "21:00", "ends": "19:00"}, "ends",
                                            lambda o: typed("ends", "19:00")),
    "edit double-booking a volunteer": Refusal(EDIT_SESSION, lambda o: {"volunteers": [booked_volunteer_of(o).pk]},
                                               "volunteers", lambda o: "Bo Booked"),
    "edit with an inactive volunteer": Refusal(EDIT_SESSION, lambda o: {"volunteers": [inactive_volunteer_of(o).pk]},
                                               "volunteers", lambda o: "Ivy Inactive"),
    # Hand-offs
    "age 0": Refusal(HAND_OFF, lambda o: {"age": "0"}, "age", lambda o: typed("age", "0")),
    "age 200": Refusal(HAND_OFF, lambda o: {"age": "200"}, "age", lambda o: typed("age", "200")),
    "negative age": Refusal(HAND_OFF, lambda o: {"age": "-4"}, "age", lambda o: typed("age", "-4")),
    "age that is not a number": Refusal(HAND_OFF, lambda o: {"age": "thirty"}, "age",
                                        lambda o: typed("age", "thirty")),
    "not agreed": Refusal(HAND_OFF, lambda o: {"agreed": None}, "agreed", lambda o: typed("name", "Rosa")),
    "no name": Refusal(HAND_OFF, lambda o: {"name": "   "}, "name", lambda o: typed("phone", "860-555-0142")),
    "need not on the list": Refusal(HAND_OFF, lambda o: {"needs": ["money"]}, "needs",
                                    lambda o: typed("name", "Rosa")),
    "team that does not exist": Refusal(HAND_OFF, lambda o: {"team": "999999"}, "team",
                                        lambda o: typed("name", "Rosa")),
    "script and very long words": Refusal(HAND_OFF, lambda o: {"in_their_words": LONG_HOSTILE_TEXT},
                                          "in_their_words", lambda o: escape(LONG_HOSTILE_TEXT)),
    # Volunteers and their trainings
    "active without the training": Refusal(NEW_VOLUNTEER, lambda o: {"status": "active"}, "trained_on",
                                           lambda o: typed("full_name", "Vera Volunteer")),
    "applied in the future": Refusal(NEW_VOLUNTEER, lambda o: {"applied_on": future()}, "applied_on",
                                     lambda o: typed("applied_on", future())),
    "checked before applying": Refusal(NEW_VOLUNTEER, lambda o: {"background_checked_on": days_ago(40)},
                                       "background_checked_on", lambda o: typed("background_checked_on", days_ago(40))),
    "date that is not a date": Refusal(NEW_VOLUNTEER, lambda o: {"applied_on": "yesterday"}, "applied_on",
                                       lambda o: typed("applied_on", "yesterday")),
    "account without the volunteer role": Refusal(NEW_VOLUNTEER, lambda o: {"user": o.world.specialist.pk}, "user",
                                                  lambda o: typed("full_name", "Vera Volunteer")),
    "script and very long volunteer notes": Refusal(NEW_VOLUNTEER, lambda o: {"notes": LONG_HOSTILE_TEXT}, "notes",
                                                    lambda o: escape(LONG_HOSTILE_TEXT)),
    "another volunteer's account": Refusal(EDIT_VOLUNTEER, lambda o: {"user": someone_elses_account(o).pk}, "user",
                                           lambda o: typed("full_name", "Val Volunteer")),
    "training in the future": Refusal(TRAINING, lambda o: {"on": future()}, "on", lambda o: typed("on", future()),
                                      status=400),
    "training of 25 hours": Refusal(TRAINING, lambda o: {"hours": "25"}, "hours", lambda o: typed("hours", "25"),
                                    status=400),
    "training of negative hours": Refusal(TRAINING, lambda o: {"hours": "-1"}, "hours",
                                          lambda o: typed("hours", "-1"), status=400),
    "training without a topic": Refusal(TRAINING, lambda o: {"topic": "  "}, "topic", lambda o: typed("hours", "2.5"),
                                        status=400),
    # Partnership activities
    "organization that does not exist": Refusal(NEW_ACTIVITY, lambda o: {"organization": "999999"}, "organization",
                                                lambda o: "Shared hotline cards for their front desk."),
    "organization no longer listed": Refusal(NEW_ACTIVITY, lambda o: {"organization": closed_organization_of(o).pk},
                                             "organization", lambda o: "Shared hotline cards for their front desk."),
    "type of activity not on the list": Refusal(NEW_ACTIVITY, lambda o: {"kind": "lunch"}, "kind",
                                                lambda o: "Shared hotline cards for their front desk."),
    "activity in the future": Refusal(NEW_ACTIVITY, lambda o: {"on": future()}, "on", lambda o: typed("on", future())),
    "script and very long activity notes": Refusal(EDIT_ACTIVITY, lambda o: {"notes": LONG_HOSTILE_TEXT}, "notes",
                                                   lambda o: escape(LONG_HOSTILE_TEXT)),
    # Closing a request for help (the close form is attacked in tests/hostile/test_cases.py)
    "closing without a reason": Refusal(CLOSE_REQUEST, lambda o: {"reason": "   "}, "reason", lambda o: "Rosa",
                                        status=400),
    "closing with a very long reason": Refusal(CLOSE_REQUEST, lambda o: {"reason": LONG_HOSTILE_TEXT}, "reason",
                                               lambda o: escape(LONG_HOSTILE_TEXT), status=400),
}  # fmt: skip


def outreach_versions() -> tuple[int, ...]:
    """How many versions each outreach record and request for help has: a refusal adds none."""
    models = (OutreachSession, Volunteer, VolunteerTraining, HandOff, PartnershipActivity, IntakeRequest, Case)
    return tuple(model.history.count() for model in models)


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_hostile_outreach_post_is_refused_with_what_was_typed(objects, name):
    refusal = REFUSALS[name]
    target = ATTACKED[refusal.route]
    client = Client()
    client.force_login(getattr(objects.world, target.persona))
    path = target.path(objects)
    data = target.valid(objects)
    for field_, spoiled in refusal.spoil(objects).items():
        if spoiled is None:
            data.pop(field_, None)
        else:
            data[field_] = spoiled
    before = outreach_versions()

    response = client.post(path, data)

    assert response.status_code == refusal.status
    assert refusal.field in form_errors(response)
    page_forms = response.context.get("forms") or [response.context["form"]]
    messages = [message for form in page_forms for message in form.errors.get(refusal.field, [])]
    assert all(escape(message) in response.text for message in messages), messages
    assert refusal.kept(objects) in response.text
    assert_no_live_markup(response.text, path)
    assert outreach_versions() == before, "a refused post stored something"
    assert_outreach_consistent()


def test_every_refusal_names_a_form_that_is_attacked():
    assert {refusal.route for refusal in REFUSALS.values()} <= set(ATTACKED)


def test_a_corrected_session_keeps_a_volunteer_who_has_stopped_since(objects):
    """The other side of "edit with an inactive volunteer": one already on the team stays on it."""
    session, volunteer = objects.session, objects.volunteer_record
    details = {**{name: getattr(volunteer, name) for name in Volunteer.DETAIL_FIELDS}, "status": "inactive"}
    services.save_volunteer(volunteer, by=objects.world.outreach, details=details, account=objects.world.volunteer)
    client = Client()
    client.force_login(objects.world.outreach)
    corrected = {**valid_session(objects, volunteers=[volunteer]), "people_contacted": "13"}

    response = client.post(f"/outreach/sessions/{session.pk}/edit/", corrected)

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.people_contacted, list(session.volunteers.all())) == (13, [volunteer])
    assert_outreach_consistent()
    every_row_has_history()
