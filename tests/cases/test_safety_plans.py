from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bloom.accounts.services import set_team_members
from bloom.audit.models import AccessLogEntry
from bloom.notifications.models import Notification
from cases import permissions, services, tasks
from cases.models import SafePerson, SafePlace, SafetyPlan, SafetyRisk
from cases.services import safety
from cases.services.safety import SafetyPlanError, save_safety_plan, send_safety_review_reminders
from cases.views.safety import safety_overview
from tests.bloom.accounts.test_security import assert_strict_page
from tests.factories import close_case, make_case, make_user

CODE_WORD = "Sunflower-7731"
RISK_WORDS = "He waits by the bus stop on Main Street"
SAFE_NAME = "Marisol Quintero"


def today():
    return timezone.localdate()


def a_risk(**changes):
    return {
        "source": "trafficker",
        "kind": "physical harm",
        "methods": ["threats", "physical abuse"],
        "description": RISK_WORDS,
        "strategies": "Take the other bus; text the code word to Marisol.",
        **changes,
    }


def a_person(**changes):
    return {"name": SAFE_NAME, "relationship": "Cousin", "phone": "860-555-0101", **changes}


def a_place(**changes):
    return {"place": "Public library on Main", "note": "Open until 8 pm", **changes}


def save_plan(case, by, *, risks=None, people=None, places=None, **plan):
    values = {
        "code_word": CODE_WORD,
        "emergency_numbers": ["911", "hotline"],
        "documents_kept": "Copies with the program, originals at her cousin's.",
        "review_on": today() + timedelta(days=60),
        "staff_note": "Check on the bus route next time.",
        **plan,
    }
    return save_safety_plan(
        case,
        by=by,
        risks=[a_risk()] if risks is None else risks,
        people=[a_person()] if people is None else people,
        places=[a_place()] if places is None else places,
        **values,
    )


def form_post(*, risks=(), people=(), places=(), spare=1, **plan):
    """A post as the browser sends it: the plan's fields and each list with its management fields."""
    data = {
        "code_word": "",
        "emergency_numbers": ["911", "hotline"],
        "documents_kept": "",
        "review_on": (today() + timedelta(days=30)).isoformat(),
        "staff_note": "",
        **plan,
    }
    for prefix, rows in (("risks", risks), ("people", people), ("places", places)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows) + spare)
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "20"
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = value
    return data


def url(name, case, *args):
    return reverse(f"cases:{name}", args=[case.pk, *args])


@pytest.fixture
def clerk(world):
    """Someone assigned to case_a who sees the case but whose role lacks ``cases.view_sensitive_details``."""
    group = Group.objects.create(name="intake clerk")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="cases", codename__in=["add_case", "add_survivor", "view_case_history"]
        )
    )
    user = make_user(full_name="Cleo Clerk")
    user.groups.add(group)
    set_team_members(world.team_a, members=[world.specialist, world.colleague, user], by=None)
    services.assign_case(world.case_a, by=world.supervisor, specialists=[world.specialist, user])
    return user


# Saving versions ---------------------------------------------------------------------------------


def test_saving_a_plan_makes_version_one_with_its_rows_and_their_history(world):
    plan = save_plan(world.case_a, world.specialist)

    assert (plan.version, plan.code_word, plan.emergency_numbers) == (1, CODE_WORD, ["911", "hotline"])
    assert [(r.source, r.kind, r.methods) for r in plan.risks.all()] == [
        ("trafficker", "physical harm", ["threats", "physical abuse"])
    ]
    assert [p.name for p in plan.safe_people.all()] == [SAFE_NAME]
    assert [p.place for p in plan.safe_places.all()] == ["Public library on Main"]
    for model, pk in (
        (SafetyPlan, plan.pk),
        (SafetyRisk, plan.risks.get().pk),
        (SafePerson, plan.safe_people.get().pk),
        (SafePlace, plan.safe_places.get().pk),
    ):
        row = model.history.get(id=pk)
        assert (row.history_type, row.history_user) == ("+", world.specialist), model


def test_every_version_stays_as_it_was_after_later_saves(client, world):
    first = save_plan(world.case_a, world.specialist)
    save_plan(world.case_a, world.specialist, code_word="Tulip", people=[a_person(name="Rosa Ruiz")], risks=[])
    third = save_plan(world.case_a, world.supervisor, places=[], review_on=today() + timedelta(days=10))
    client.force_login(world.specialist)

    pages = {n: client.get(url("safety_plan_version", world.case_a, n)).text for n in (1, 2, 3)}

    assert [p.version for p in SafetyPlan.objects.filter(case=world.case_a).order_by("version")] == [1, 2, 3]
    assert (CODE_WORD in pages[1], SAFE_NAME in pages[1], RISK_WORDS in pages[1]) == (True, True, True)
    assert ("Tulip" in pages[2], "Rosa Ruiz" in pages[2], SAFE_NAME in pages[2], RISK_WORDS in pages[2]) == (
        True,
        True,
        False,
        False,
    )
    assert ("Public library on Main" in pages[3], CODE_WORD in pages[3]) == (False, True)
    first.refresh_from_db()
    assert [r.description for r in first.risks.all()] == [RISK_WORDS]
    assert third.version == 3


def test_the_plan_page_lists_every_version_with_its_author_and_what_changed(client, world):
    save_plan(world.case_a, world.specialist)
    save_plan(world.case_a, world.supervisor, code_word="Tulip")
    save_plan(world.case_a, world.supervisor, code_word="Tulip")
    client.force_login(world.specialist)

    response = client.get(url("safety_plan", world.case_a))

    versions = response.context["versions"]
    assert [(v.plan.version, v.plan.created_by, v.first) for v in versions] == [
        (3, world.supervisor, False),
        (2, world.supervisor, False),
        (1, world.specialist, True),
    ]
    assert [[str(part) for part in v.changed] for v in versions] == [[], ["code word"], []]
    assert "Changed: code word" in response.text
    assert "Reviewed; nothing changed" in response.text
    assert "Sue Supervisor" in response.text
    assert "<!-- MARKER" not in response.text  # the print button's marker is a template comment


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"risks": [], "people": [], "places": [], "code_word": "", "documents_kept": ""}, "__all__"),
        ({"risks": [a_risk(kind="housing")]}, "risks"),
        ({"risks": [a_risk(source="life", kind="physical harm", methods=[])]}, "risks"),
        ({"risks": [a_risk(source="life", kind="housing")]}, "risks"),  # methods on a life risk
        ({"risks": [a_risk(strategies="  ")]}, "risks"),
        ({"risks": [a_risk(methods=["threats", "threats"])]}, "risks"),
        ({"people": [a_person(name="")]}, "safe_people"),
        ({"places": [a_place(place="")]}, "safe_places"),
        ({"code_word": "x" * 101}, "code_word"),
        ({"emergency_numbers": ["112"]}, "emergency_numbers"),
        ({"review_on": date(2001, 1, 1)}, "review_on"),
        ({"review_on": date(9999, 12, 31)}, "review_on"),
    ],
)
def test_the_service_refuses_what_breaks_the_rules(world, changes, field):
    with pytest.raises(SafetyPlanError) as refused:
        save_plan(world.case_a, world.specialist, **changes)

    error = refused.value
    assert (list(error.message_dict) if hasattr(error, "error_dict") else ["__all__"]) == [field]
    assert not SafetyPlan.objects.exists()


# Run again at awkward instants (tests/clock.py): a review date is from today to a year ahead.
@pytest.mark.clock
def test_a_review_date_a_year_ahead_is_the_latest_allowed(world):
    assert safety.latest_review(date(2028, 2, 29)) == date(2029, 2, 28)
    plan = save_plan(world.case_a, world.specialist, review_on=safety.latest_review(today()))
    assert plan.review_on == safety.latest_review(today())


def test_the_service_refuses_someone_without_the_sensitive_permission(world, clerk):
    with pytest.raises(PermissionDenied):
        save_plan(world.case_a, clerk)
    with pytest.raises(PermissionDenied):
        save_plan(world.case_a, world.colleague)


def test_a_closed_case_keeps_its_plan_as_it_was(client, world):
    save_plan(world.case_a, world.specialist)
    close_case(world.case_a, by=world.specialist, approver=world.supervisor)
    client.force_login(world.specialist)

    with pytest.raises(SafetyPlanError):
        save_plan(world.case_a, world.specialist)
    response = client.post(url("safety_plan_new", world.case_a), form_post(code_word="x"))

    assert response.status_code == 302
    assert response["Location"] == url("safety_plan", world.case_a)
    assert SafetyPlan.objects.filter(case=world.case_a).count() == 1
    assert client.get(url("safety_plan", world.case_a)).status_code == 200


# Who may see it ------------------------------------------------------------------------------------


@pytest.fixture
def plan(world):
    return save_plan(world.case_a, world.specialist, review_on=today() + timedelta(days=3))


@pytest.mark.parametrize("persona", ["finance", "outsider", "colleague", "outreach", "volunteer", "trainer"])
def test_people_who_do_not_see_the_case_get_404_on_every_safety_page(client, world, plan, persona):
    client.force_login(getattr(world, persona))

    answers = [
        client.get(url("safety_plan", world.case_a)).status_code,
        client.get(url("safety_plan_version", world.case_a, 1)).status_code,
        client.get(url("safety_plan_new", world.case_a)).status_code,
        client.post(url("safety_plan_new", world.case_a), form_post(code_word="x")).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    assert SafetyPlan.objects.count() == 1


def test_a_colleague_on_the_case_without_the_sensitive_permission_gets_403_and_sees_no_contents(
    client, world, plan, clerk
):
    send_safety_review_reminders()  # the clerk is assigned, so is told the plan is due: code and date only
    client.force_login(clerk)

    answers = [
        client.get(url("safety_plan", world.case_a)).status_code,
        client.get(url("safety_plan_version", world.case_a, 1)).status_code,
        client.get(url("safety_plan_version", world.case_a, 99)).status_code,
        client.get(url("safety_plan_new", world.case_a)).status_code,
        client.post(url("safety_plan_new", world.case_a), form_post(code_word="x")).status_code,
    ]
    pages = {
        "case": client.get(world.case_a.get_absolute_url()),
        "timeline": client.get(url("timeline", world.case_a)),
        "history": client.get(url("history", world.case_a)),
        "notifications": client.get(reverse("notifications:list")),
    }

    assert answers == [403, 403, 403, 403, 403]
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    for name, page in pages.items():
        html = page.text
        for secret in (CODE_WORD, RISK_WORDS, SAFE_NAME, "Public library on Main", "Check on the bus route"):
            assert secret not in html, (name, secret)
        assert url("safety_plan", world.case_a) not in html or name == "notifications", name
    assert "Safety plan version 1 saved" in pages["timeline"].text
    assert world.case_a.survivor.client_code in pages["notifications"].text
    assert list(Notification.objects.filter(recipient=clerk).values_list("data", flat=True)) == [
        {"code": world.case_a.survivor.client_code, "until": plan.review_on.isoformat()}
    ]
    assert SafetyPlan.objects.count() == 1


def test_the_safety_tab_shows_only_to_those_who_may_read_the_plan(client, world, plan, clerk):
    client.force_login(world.specialist)
    shown = client.get(world.case_a.get_absolute_url()).text
    client.force_login(clerk)
    hidden = client.get(world.case_a.get_absolute_url()).text

    link = f'href="{url("safety_plan", world.case_a)}"'
    assert (link in shown, link in hidden) == (True, False)


# Run again at awkward instants (tests/clock.py): a review is due within a week of its date.
@pytest.mark.clock
def test_the_case_card_shows_the_review_date_and_nothing_to_those_without_the_permission(world, plan, clerk):
    def card(user):
        perms = permissions.case_perms(user, world.case_a)
        return render_to_string(
            "cases/_safety_card.html", {"case": world.case_a, **safety_overview(world.case_a, perms)}
        )

    for_specialist, for_clerk = card(world.specialist), card(clerk)

    assert for_clerk.strip() == ""
    assert "Review due" in for_specialist
    assert url("safety_plan", world.case_a) in for_specialist
    assert CODE_WORD not in for_specialist
    assert RISK_WORDS not in for_specialist


def test_the_case_card_offers_a_first_plan(world):
    perms = permissions.case_perms(world.specialist, world.case_a)
    context = safety_overview(world.case_a, perms)

    html = render_to_string("cases/_safety_card.html", {"case": world.case_a, **context})

    assert context["safety_card"]["plan"] is None
    assert "No safety plan yet." in html
    assert url("safety_plan_new", world.case_a) in html


def test_reading_the_plan_is_in_the_access_log_and_a_refusal_is_not(client, world, plan, clerk):
    client.force_login(world.specialist)
    client.get(url("safety_plan", world.case_a))
    client.get(url("safety_plan_version", world.case_a, 1))
    client.force_login(clerk)
    client.get(url("safety_plan", world.case_a))

    entries = AccessLogEntry.objects.filter(target_id=world.case_a.pk).order_by("pk")
    assert [(e.user, e.action, e.reason) for e in entries] == [
        (world.specialist, AccessLogEntry.Action.VIEW, "log.safety_plan_version|[1]"),
        (world.specialist, AccessLogEntry.Action.VIEW, "log.safety_plan_version|[1]"),
    ]


def test_a_version_that_does_not_exist_is_404(client, world, plan):
    client.force_login(world.specialist)

    assert client.get(url("safety_plan_version", world.case_a, 2)).status_code == 404


# The form -------------------------------------------------------------------------------------------


def test_the_form_saves_a_plan_and_ignores_empty_rows(client, world):
    client.force_login(world.specialist)
    data = form_post(
        risks=[a_risk(), a_risk(source="life", kind="housing", methods=[], description="", strategies="Apply")],
        people=[a_person()],
        spare=2,
        code_word=CODE_WORD,
    )

    response = client.post(url("safety_plan_new", world.case_a), data)

    plan = SafetyPlan.objects.get(case=world.case_a)
    assert response.status_code == 302
    assert response["Location"] == url("safety_plan", world.case_a)
    assert [(r.position, r.kind, r.methods) for r in plan.risks.all()] == [
        (0, "physical harm", ["threats", "physical abuse"]),
        (1, "housing", []),
    ]
    assert [p.name for p in plan.safe_people.all()] == [SAFE_NAME]
    assert list(plan.safe_places.all()) == []
    assert plan.code_word == CODE_WORD


# Run again at awkward instants (tests/clock.py): a review due soon sets the next date afresh from today.
@pytest.mark.clock
def test_the_form_starts_from_the_current_version(client, world, plan):
    client.force_login(world.specialist)

    response = client.get(url("safety_plan_new", world.case_a))

    html = response.text
    assert f'value="{CODE_WORD}"' in html
    assert RISK_WORDS in html
    assert f'value="{SAFE_NAME}"' in html
    assert 'name="risks-TOTAL_FORMS" value="2"' in html  # the risk and one spare row
    # The plan was due for review in three days: this review sets the next date afresh.
    assert f'value="{(today() + timedelta(days=90)).isoformat()}"' in html


@pytest.mark.clock
def test_a_review_date_well_ahead_is_kept_in_the_form(client, world):
    plan = save_plan(world.case_a, world.specialist, review_on=today() + timedelta(days=60))
    client.force_login(world.specialist)

    forms = client.get(url("safety_plan_new", world.case_a)).context["forms"]

    assert forms.plan["review_on"].value() == plan.review_on


def test_a_review_that_empties_a_row_takes_it_off_the_plan(client, world, plan):
    client.force_login(world.specialist)
    data = form_post(risks=[a_risk()], people=[a_person(name="", relationship="", phone="")], code_word=CODE_WORD)

    client.post(url("safety_plan_new", world.case_a), data)

    second = SafetyPlan.objects.get(case=world.case_a, version=2)
    assert (second.risks.count(), second.safe_people.count()) == (1, 0)
    assert plan.safe_people.count() == 1


# Run again at awkward instants (tests/clock.py): a minor is told by age.
@pytest.mark.clock
def test_a_first_plan_lists_the_careline_only_for_a_survivor_under_18(client, world):
    minor = make_case(
        team=world.team_a,
        specialists=[world.specialist],
        legal_name="Mina Minor",
        date_of_birth=today() - timedelta(days=16 * 366),
    )
    client.force_login(world.specialist)

    adult_form = client.get(url("safety_plan_new", world.case_a)).context["forms"]
    minor_form = client.get(url("safety_plan_new", minor)).context["forms"]

    assert adult_form.plan.initial["emergency_numbers"] == ["911", "hotline"]
    assert minor_form.plan.initial["emergency_numbers"] == ["911", "hotline", "careline"]
    assert "1-800-842-2288" in client.get(url("safety_plan_new", minor)).text


def test_an_empty_plan_is_refused_and_everything_typed_is_kept(client, world):
    client.force_login(world.specialist)
    data = form_post(staff_note="Talked about the bus route", emergency_numbers=["911", "careline"])

    response = client.post(url("safety_plan_new", world.case_a), data)

    html = response.text
    assert response.status_code == 200
    assert "A safety plan needs at least one risk with its strategies, a safe person or a safe place." in html
    assert "Talked about the bus route" in html
    assert response.context["forms"].plan["emergency_numbers"].value() == ["911", "careline"]
    assert not SafetyPlan.objects.exists()


@pytest.mark.parametrize(
    ("row", "prefix", "field"),
    [
        (a_risk(kind="housing"), "risks", "kind"),  # a life risk under "from the trafficker"
        (a_risk(source="life", kind="threats to family", methods=[]), "risks", "kind"),
        (a_risk(source="life", kind="legal status"), "risks", "methods"),  # methods on a life risk
        (a_risk(strategies=""), "risks", "strategies"),
        (a_risk(kind=""), "risks", "kind"),
        (a_risk(source="elsewhere"), "risks", "source"),
        (a_risk(methods=["threats", "mind control"]), "risks", "methods"),
        (a_risk(description="x" * 5001), "risks", "description"),
        (a_person(name=""), "people", "name"),
        (a_person(phone="1" * 41), "people", "phone"),
        (a_place(place=""), "places", "place"),
    ],
)
def test_a_bad_row_is_shown_beside_its_field_and_nothing_typed_is_lost(client, world, row, prefix, field):
    client.force_login(world.specialist)
    data = form_post(**{prefix: [row]}, code_word=CODE_WORD)

    response = client.post(url("safety_plan_new", world.case_a), data)

    forms = response.context["forms"]
    assert response.status_code == 200
    assert list(forms.lists[prefix].forms[0].errors) == [field]
    assert forms.plan["code_word"].value() == CODE_WORD
    for name, value in row.items():
        assert forms.lists[prefix].forms[0][name].value() == value
    assert not SafetyPlan.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"review_on": "2020-06-01"}, "review_on"),
        ({"review_on": "0001-01-01"}, "review_on"),
        ({"review_on": "9999-12-31"}, "review_on"),
        ({"review_on": "2026-02-30"}, "review_on"),
        ({"review_on": ""}, "review_on"),
        ({"code_word": "x" * 101}, "code_word"),
        ({"documents_kept": "x" * 2001}, "documents_kept"),
        ({"staff_note": "x" * 5001}, "staff_note"),
        ({"emergency_numbers": ["911", "112"]}, "emergency_numbers"),
    ],
)
def test_bad_plan_fields_are_refused_beside_the_field(client, world, changes, field):
    client.force_login(world.specialist)
    data = form_post(people=[a_person()], **changes)

    response = client.post(url("safety_plan_new", world.case_a), data)

    forms = response.context["forms"]
    assert response.status_code == 200
    assert list(forms.plan.errors) == [field]
    assert forms.people.forms[0]["name"].value() == SAFE_NAME
    assert not SafetyPlan.objects.exists()


def test_lists_where_one_value_is_expected_and_tampered_rows_are_refused_quietly(client, world):
    client.force_login(world.specialist)
    lists = form_post(people=[a_person()], code_word=["one", "two"], review_on=["2020-01-01", "bad"])
    tampered = {**form_post(people=[a_person()]), "people-TOTAL_FORMS": "100000"}
    missing = {key: value for key, value in form_post(people=[a_person()]).items() if "TOTAL_FORMS" not in key}

    answers = [client.post(url("safety_plan_new", world.case_a), data) for data in (lists, tampered, missing)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert all(a.context["forms"].has_errors for a in answers)
    assert not SafetyPlan.objects.exists()


def test_adding_a_row_shows_the_form_again_with_everything_typed_and_saves_nothing(client, world):
    client.force_login(world.specialist)
    data = {**form_post(risks=[a_risk()], spare=0, code_word=CODE_WORD), "add": "risks"}

    response = client.post(url("safety_plan_new", world.case_a), data)

    forms = response.context["forms"]
    assert response.status_code == 200
    assert forms.has_errors is False
    assert len(forms.risks.forms) == 2
    assert forms.risks.forms[0]["description"].value() == RISK_WORDS
    assert forms.risks.forms[0]["methods"].value() == ["threats", "physical abuse"]
    assert forms.plan["code_word"].value() == CODE_WORD
    assert not SafetyPlan.objects.exists()


# The review reminder ------------------------------------------------------------------------------


# Run again at awkward instants (tests/clock.py): reminders go out a week before the review date.
@pytest.mark.clock
def test_a_plan_due_within_a_week_reminds_the_assigned_specialists_once(world):
    services.assign_case(world.case_a, by=world.supervisor, specialists=[world.specialist, world.colleague])
    plan = save_plan(world.case_a, world.specialist, review_on=today() + timedelta(days=7))

    first = tasks.send_safety_review_reminders()
    second = send_safety_review_reminders()

    notices = Notification.objects.order_by("recipient__full_name")
    assert (first, second) == (2, 0)
    assert [(n.recipient, n.kind, n.data, n.url) for n in notices] == [
        (
            person,
            Notification.Kind.SAFETY_PLAN_REVIEW,
            {"code": world.case_a.survivor.client_code, "until": plan.review_on.isoformat()},
            url("safety_plan", world.case_a),
        )
        for person in (world.colleague, world.specialist)
    ]
    assert "Alma" not in notices[0].text


@pytest.mark.clock
def test_no_reminder_before_the_week_or_for_an_earlier_version_or_a_closed_case(world):
    save_plan(world.case_a, world.specialist, review_on=today() + timedelta(days=8))
    closed = make_case(team=world.team_a, specialists=[world.specialist])
    save_plan(closed, world.specialist, review_on=today())
    close_case(closed, by=world.specialist, approver=world.supervisor)
    replaced = make_case(team=world.team_a, specialists=[world.specialist])
    save_plan(replaced, world.specialist, review_on=today())
    save_plan(replaced, world.specialist, review_on=today() + timedelta(days=90))

    assert send_safety_review_reminders() == 0
    assert send_safety_review_reminders(today=today() + timedelta(days=1)) == 1


@pytest.mark.clock
def test_an_overdue_plan_is_still_reminded_and_a_new_version_settles_the_reminder(world):
    plan = save_plan(world.case_a, world.specialist, review_on=today())
    send_safety_review_reminders(today=today() + timedelta(days=20))
    assert Notification.objects.filter(read_at__isnull=True).count() == 1

    save_plan(world.case_a, world.specialist, review_on=today() + timedelta(days=3))
    again = send_safety_review_reminders()

    rows = [(n.dedupe_key, n.read_at is None) for n in Notification.objects.order_by("pk")]
    assert plan.version == 1
    assert again == 1  # the new version is due soon too: a new notice, the old one settled
    assert rows == [
        (f"safety-review:{world.case_a.pk}:1", False),
        (f"safety-review:{world.case_a.pk}:2", True),
    ]


def test_a_case_with_nobody_assigned_reminds_the_supervisors_it_names(world):
    services.assign_case(world.case_a, by=world.supervisor, specialists=[])
    save_plan(world.case_a, world.supervisor, review_on=today())

    send_safety_review_reminders()

    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.supervisor.pk]


@pytest.mark.parametrize("size", [1, 5])
def test_reminders_cost_the_same_queries_however_many_cases(world, django_assert_num_queries, size):
    for n in range(size):
        case = make_case(team=world.team_a, specialists=[world.specialist], legal_name=f"Person {n}")
        save_plan(case, world.specialist, review_on=today())

    with django_assert_num_queries(7):
        assert send_safety_review_reminders() == size


# The timeline ---------------------------------------------------------------------------------------


def test_the_timeline_says_a_version_was_saved_and_by_whom(client, world, plan):
    client.force_login(world.supervisor)

    response = client.get(url("timeline", world.case_a), {"kind": "safety plan"})

    assert [entry.item for entry in response.context["entries"]] == [plan]
    assert "Safety plan version 1 saved" in response.text
    assert "Sam Specialist" in response.text
    assert CODE_WORD not in response.text


# Query counts --------------------------------------------------------------------------------------


def grow(world, size):
    rows = {
        "risks": [a_risk(description=f"Risk {n}") for n in range(size)],
        "people": [a_person(name=f"Person {n}") for n in range(size)],
        "places": [a_place(place=f"Place {n}") for n in range(size)],
    }
    for _version in range(size):
        save_plan(world.case_a, world.specialist, **rows)


@pytest.mark.parametrize("size", [1, 5])
def test_safety_plan_page_query_count(client, world, django_assert_num_queries, size):
    grow(world, size)
    client.force_login(world.specialist)
    client.get(url("safety_plan", world.case_a))  # warm the per-process content-type caches

    # 8 for the plan and its versions, and 1 for the survivor's printout's latest job.
    with django_assert_num_queries(9):
        response = client.get(url("safety_plan", world.case_a))

    assert response.status_code == 200
    assert len(response.context["versions"]) == size


@pytest.mark.parametrize("size", [1, 5])
def test_safety_plan_version_page_query_count(client, world, django_assert_num_queries, size):
    grow(world, size)
    client.force_login(world.specialist)
    client.get(url("safety_plan_version", world.case_a, 1))

    with django_assert_num_queries(9):
        response = client.get(url("safety_plan_version", world.case_a, 1))

    assert response.status_code == 200
    assert len(response.context["plan"].risks.all()) == size


@pytest.mark.parametrize("size", [1, 5])
def test_safety_plan_form_query_count(client, world, django_assert_num_queries, size):
    grow(world, size)
    client.force_login(world.specialist)
    client.get(url("safety_plan_new", world.case_a))

    with django_assert_num_queries(8):
        response = client.get(url("safety_plan_new", world.case_a))

    assert response.status_code == 200


# Run again at awkward instants (tests/clock.py): a review date is never in the past.
@pytest.mark.clock
def test_a_review_date_may_be_today_but_not_yesterday(client, world):
    client.force_login(world.specialist)
    yesterday = form_post(people=[a_person()], review_on=(today() - timedelta(days=1)).isoformat())
    on_today = form_post(people=[a_person()], review_on=today().isoformat())

    refused = client.post(url("safety_plan_new", world.case_a), yesterday)
    saved = client.post(url("safety_plan_new", world.case_a), on_today)

    assert refused.context["forms"].plan.errors == {"review_on": ["The review date cannot be in the past."]}
    assert saved.status_code == 302
    assert SafetyPlan.objects.get().review_on == today()


def test_an_absurd_version_number_is_404(client, world, plan):
    client.force_login(world.specialist)

    response = client.get(f"/cases/{world.case_a.pk}/safety/99999999999999999999/")

    assert response.status_code == 404


def test_the_safety_pages_have_no_inline_code(client, world, plan):
    client.force_login(world.supervisor)

    for path in (url("safety_plan", world.case_a), url("safety_plan_version", world.case_a, 1)):
        assert_strict_page(client.get(path), path)
    assert_strict_page(client.get(url("safety_plan_new", world.case_a)), "form")
    assert_strict_page(client.post(url("safety_plan_new", world.case_a), form_post()), "form with errors")
