"""The retention pages: the policy, the preview and the run, the purge log, holds on the case page,
deletions, and what a purged case's pages still show.

Every date is fixed or counted from the pinned today: cases close on days long past, so that
under the default policy (24, 24 and 36 months) everything of them is due.
"""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bloom.accounts.models import Role
from bloom.audit.models import PurgeLogEntry
from bloom.reports.models import ReportJob
from bloom.reports.services import request_report, run_report_job
from cases import services as case_services
from cases.models import Survivor
from cases.services import save_safety_plan
from cases.services.contacts import log_contact
from phases.services.goals import set_goal
from retention import schedule
from retention.models import DeletionRequest, Hold, RetentionPolicy, Tombstone
from retention.services import place_hold, request_deletion, set_policy
from tests.factories import close_case, form_errors, make_case, make_user
from tests.retention.conftest import IN_FORCE_SINCE
from tests.retention.test_schedule import ended_case

BY_HAND = PurgeLogEntry.Trigger.BY_HAND
NOTE = "Talked about the new apartment and the bus pass."
GOAL = "A place of my own near my sister"
GOOD_POLICY = {
    "narratives_months": "12",
    "documents_months": "18",
    "identity_months": "40",
    "reopen_months": "6",
    "backup_days": "30",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def with_note(world, case):
    """``case`` with a phone call in May 2022, and its note."""
    at = timezone.make_aware(timezone.datetime(2022, 5, 2, 11))
    log_contact(case, by=world.specialist, kind="phone", occurred_at=at, initiated_by="staff", note=NOTE)
    return case


def closed_with_note(world, *, legal_name="Paz Purged", closed_on=date(2022, 6, 30), **kwargs):
    """A case of team A closed on ``closed_on`` (long past: all of it due), with a contact note."""
    return with_note(world, ended_case(world, legal_name=legal_name, closed_on=closed_on, **kwargs))


def purge_now(world):
    return schedule.run(today=timezone.localdate(), trigger=BY_HAND, by=world.director)


# The policy --------------------------------------------------------------------------------------


def test_the_policy_page_shows_the_numbers_and_how_long_backups_keep_purged_information(world):
    response = signed_in(world.director).get(reverse("retention:policy"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Purged information survives in backups at most 30 days after the purge." in body
    assert response.context["form"].initial == RetentionPolicy().snapshot()
    assert 'name="narratives_months" value="24"' in body


def test_a_good_policy_is_saved_and_its_change_shown_with_who_and_the_old_value(world):
    client = signed_in(world.director)

    response = client.post(reverse("retention:policy"), GOOD_POLICY)

    assert response.status_code == 302
    policy = RetentionPolicy.objects.get()
    assert policy.snapshot() == {name: int(value) for name, value in GOOD_POLICY.items()}
    page = client.get(reverse("retention:policy"))
    change = page.context["changes"][0]
    assert change.by == world.director
    assert [(str(label), old, new) for label, old, new in change.changes] == [
        ("narratives and notes kept for (months)", 24, 12),
        ("documents' files kept for (months)", 24, 18),
        ("identifying information kept for (months)", 36, 40),
    ]
    assert "24 → 12" in page.content.decode()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("narratives_months", "0", "Enter at least 1 month"),
        ("documents_months", "-3", "Enter at least 1 month"),
        ("identity_months", "three years", "Enter a whole number of months in figures"),
        ("narratives_months", "4", "shorter than the reopening window"),
        ("backup_days", "400", "Backups cannot be kept longer than the shortest purge period"),
    ],
)
def test_a_bad_number_is_refused_beside_its_field_keeping_what_was_typed(world, field, typed, message):
    client = signed_in(world.director)

    response = client.post(reverse("retention:policy"), {**GOOD_POLICY, field: typed})

    assert response.status_code == 200
    assert form_errors(response) == {field}
    assert message in " ".join(response.context["form"].errors[field])
    assert f'name="{field}" value="{typed}"' in response.content.decode()
    assert RetentionPolicy.objects.get().set_on == IN_FORCE_SINCE  # as it was: nothing saved
    assert RetentionPolicy.history.count() == 1  # the policy in force's own


@pytest.mark.parametrize("route", ["retention:policy", "retention:preview", "retention:log"])
@pytest.mark.parametrize("persona", ["specialist", "supervisor", "finance", "administrator"])
def test_only_those_who_manage_retention_open_its_pages(world, route, persona):
    response = signed_in(getattr(world, persona)).get(reverse(route))

    assert response.status_code == 403


def test_someone_else_cannot_change_the_policy(world):
    response = signed_in(world.supervisor).post(reverse("retention:policy"), GOOD_POLICY)

    assert response.status_code == 403
    assert RetentionPolicy.history.count() == 1  # the policy in force's own


# The preview and the run ---------------------------------------------------------------------------


def test_the_preview_lists_what_is_due_and_coming_by_client_code_with_holds_marked(world):
    due = closed_with_note(world)
    held = closed_with_note(world, legal_name="Hana Held")
    place_hold(held, by=world.supervisor, reason="Court order 22-114")
    today = timezone.localdate()
    # Under the default 24 months, narratives fall due 60 days from today.
    coming = ended_case(world, legal_name="Cleo Coming", opened_on=date(2020, 1, 1),
                        closed_on=today + timedelta(days=60) - timedelta(days=731))  # fmt: skip

    response = signed_in(world.director).get(reverse("retention:preview"))

    assert response.status_code == 200
    now = {(row.due.case.pk, row.due.level, row.due.held) for row in response.context["now"]}
    assert {(due.pk, "narratives", False), (due.pk, "identity", False), (held.pk, "identity", True)} <= now
    assert {row.due.case.pk for row in response.context["coming"]} == {coming.pk}
    body = response.content.decode()
    assert due.survivor.client_code in body
    assert "Court order 22-114" in body
    assert "Paz Purged" not in body  # client codes only


def test_restricted_cases_that_do_not_name_the_director_are_only_counted(world):
    hidden = closed_with_note(world, legal_name="Rita Restricted")
    case_services.set_restriction(hidden, by=world.supervisor, restricted=True, named=[world.supervisor])

    response = signed_in(world.director).get(reverse("retention:preview"))

    assert hidden.pk not in {row.due.case.pk for row in response.context["now"]}
    assert response.context["preview"].hidden_now == 1
    assert hidden.survivor.client_code not in response.content.decode()
    assert "1 restricted case that does not name you is due now as well" in response.content.decode()


def test_running_the_purge_needs_the_box_ticked_and_then_queues_it(world, django_capture_on_commit_callbacks):
    client = signed_in(world.director)

    with django_capture_on_commit_callbacks(execute=False) as refused:
        unticked = client.post(reverse("retention:run"), {})
    with django_capture_on_commit_callbacks(execute=False) as queued:
        ticked = client.post(reverse("retention:run"), {"confirm": "on"})

    assert unticked.status_code == 200
    assert form_errors(unticked) == {"confirm"}
    assert refused == []
    assert ticked.status_code == 302
    assert ticked["Location"] == reverse("retention:log")
    assert len(queued) == 1
    assert "The purge is queued" in messages_of(ticked)[0]


def test_running_the_purge_is_only_a_post_and_only_the_directors(world):
    assert signed_in(world.director).get(reverse("retention:run")).status_code == 405
    assert signed_in(world.supervisor).post(reverse("retention:run"), {"confirm": "on"}).status_code == 403


# The purge log --------------------------------------------------------------------------------------


def test_the_log_names_the_cases_the_reader_may_see_and_counts_the_others(world):
    seen = closed_with_note(world)
    hidden = closed_with_note(world, legal_name="Rita Restricted")
    case_services.set_restriction(hidden, by=world.supervisor, restricted=True, named=[world.supervisor])
    entry = purge_now(world)

    response = signed_in(world.director).get(reverse("retention:log"))

    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row.entry == entry
    assert row.shown == [(seen.pk, seen.survivor.client_code)]
    assert row.hidden == 1
    body = response.content.decode()
    assert reverse("cases:detail", args=[seen.pk]) in body
    assert reverse("cases:detail", args=[hidden.pk]) not in body
    assert "Run by hand" in body
    assert "Dana Director" in body


# Holds ------------------------------------------------------------------------------------------------


def test_the_case_page_shows_the_retention_panel_with_its_next_purges_and_holds(world):
    case = ended_case(world, legal_name="Nina Next", opened_on=date(2024, 1, 5), closed_on=date(2025, 3, 31))
    place_hold(case, by=world.supervisor, reason="Open investigation")

    response = signed_in(world.specialist).get(case.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "Next purges" in body
    assert "Narratives and notes: March 31, 2027" in body
    assert "Open investigation" in body
    assert "Placed by Sue Supervisor" in body
    assert "Lift this hold" in body
    assert "Place another hold" in body
    assert reverse("retention:deletion_new", args=[case.pk]) not in body  # the director's
    director_view = signed_in(world.director).get(case.get_absolute_url()).content.decode()
    assert reverse("retention:deletion_new", args=[case.pk]) in director_view


def test_placing_a_hold_from_the_case_page(world):
    response = signed_in(world.specialist).post(
        reverse("retention:hold_place", args=[world.case_a.pk]), {"reason": "Court order 22-114"}
    )

    assert response.status_code == 302
    assert response["Location"] == world.case_a.get_absolute_url()
    hold = Hold.objects.get(case=world.case_a)
    assert (hold.reason, hold.placed_by, hold.active) == ("Court order 22-114", world.specialist, True)


def test_a_hold_without_a_reason_is_refused_and_nothing_is_placed(world):
    response = signed_in(world.specialist).post(
        reverse("retention:hold_place", args=[world.case_a.pk]), {"reason": "   "}
    )

    assert response.status_code == 200
    assert form_errors(response) == {"reason"}
    assert "Say why the case is held" in response.content.decode()
    assert not Hold.objects.exists()


@pytest.mark.parametrize("persona", ["colleague", "outsider", "finance", "outreach", "trainer"])
def test_a_case_out_of_sight_cannot_be_held_or_lifted(world, persona):
    hold = place_hold(world.case_a, by=world.specialist, reason="Court order")
    client = signed_in(getattr(world, persona))

    answers = [
        client.get(reverse("retention:hold_place", args=[world.case_a.pk])).status_code,
        client.post(reverse("retention:hold_place", args=[world.case_a.pk]), {"reason": "x"}).status_code,
        client.post(reverse("retention:hold_lift", args=[hold.pk]), {"note": "x"}).status_code,
    ]

    assert answers == [404, 404, 404]
    assert Hold.objects.get().active


def test_unknown_ids_are_not_found(world):
    client = signed_in(world.director)

    assert client.get(reverse("retention:hold_place", args=[999_999])).status_code == 404
    assert client.post(reverse("retention:hold_lift", args=[999_999]), {"note": "x"}).status_code == 404
    assert client.get(reverse("retention:deletion_new", args=[999_999])).status_code == 404
    assert client.post(reverse("retention:deletion_confirm", args=[999_999])).status_code == 404
    assert client.post(reverse("retention:deletion_withdraw", args=[999_999])).status_code == 404


def test_emergency_access_sees_the_case_but_may_not_hold_it(world):
    case_services.open_in_emergency(world.case_a, by=world.outsider, reason="Crisis call at night")

    response = signed_in(world.outsider).post(
        reverse("retention:hold_place", args=[world.case_a.pk]), {"reason": "Court order"}
    )

    assert response.status_code == 403
    assert not Hold.objects.exists()


def test_lifting_a_hold_needs_a_note(world):
    hold = place_hold(world.case_a, by=world.specialist, reason="Court order")
    client = signed_in(world.supervisor)

    refused = client.post(reverse("retention:hold_lift", args=[hold.pk]), {"note": ""})
    lifted = client.post(reverse("retention:hold_lift", args=[hold.pk]), {"note": "The order ended on 1 May."})

    assert refused.status_code == 200
    assert form_errors(refused) == {"note"}
    assert lifted.status_code == 302
    hold.refresh_from_db()
    assert (hold.active, hold.lifted_by, hold.lift_note) == (False, world.supervisor, "The order ended on 1 May.")
    again = client.post(reverse("retention:hold_lift", args=[hold.pk]), {"note": "Again"})
    assert messages_of(again)[-1] == "That hold was already lifted."


# Deletions ---------------------------------------------------------------------------------------------


def test_the_deletion_page_says_what_goes_and_what_is_kept(world):
    case = ended_case(world, legal_name="Dora Delete")

    response = signed_in(world.director).get(reverse("retention:deletion_new", args=[case.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "What is deleted" in body
    assert "What is kept" in body
    assert "without the survivor&#x27;s name or details" in body


def test_asking_to_delete_a_record_waits_for_a_second_person(world):
    case = ended_case(world, legal_name="Dora Delete")

    response = signed_in(world.director).post(
        reverse("retention:deletion_new", args=[case.pk]), {"why": "asked", "reason": "Asked in person on Monday."}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("retention:deletions")
    request = DeletionRequest.objects.get()
    assert (request.survivor, request.why, request.status) == (case.survivor, "asked", "waiting")
    assert Survivor.objects.get(pk=case.survivor_id).legal_name == "Dora Delete"


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"why": "", "reason": "Asked on Monday."}, "why", "Choose why the record is deleted."),
        ({"why": "because", "reason": "Asked on Monday."}, "why", "Choose one of the reasons shown."),
        ({"why": "asked", "reason": " "}, "reason", "Write the reason"),
    ],
)
def test_a_deletion_without_its_why_or_reason_is_refused(world, post, field, message):
    case = ended_case(world, legal_name="Dora Delete")

    response = signed_in(world.director).post(reverse("retention:deletion_new", args=[case.pk]), post)

    assert response.status_code == 200
    assert form_errors(response) == {field}
    assert message in response.content.decode()
    assert not DeletionRequest.objects.exists()


def test_a_record_with_an_open_case_or_a_hold_is_not_deleted_and_the_page_says_why(world):
    held = ended_case(world, legal_name="Hana Held")
    place_hold(held, by=world.supervisor, reason="Court order")
    client = signed_in(world.director)
    post = {"why": "mistake", "reason": "Entered twice."}

    open_case = client.post(reverse("retention:deletion_new", args=[world.case_a.pk]), post)
    on_hold = client.post(reverse("retention:deletion_new", args=[held.pk]), post)

    assert "A case of this survivor is still open or in intake" in open_case.content.decode()
    assert "on hold" in on_hold.content.decode()
    assert "Entered twice." in on_hold.content.decode()  # what was typed is kept
    assert not DeletionRequest.objects.exists()


def test_deleting_is_for_the_director_and_a_case_out_of_sight_is_not_found(world):
    case = ended_case(world, legal_name="Dora Delete")

    assert signed_in(world.specialist).get(reverse("retention:deletion_new", args=[case.pk])).status_code == 403
    assert signed_in(world.supervisor).get(reverse("retention:deletions")).status_code == 403
    assert signed_in(world.outsider).get(reverse("retention:deletion_new", args=[case.pk])).status_code == 404


def test_the_person_who_asked_cannot_confirm_and_a_second_director_can(world):
    case = closed_with_note(world, legal_name="Dora Delete")
    request = request_deletion(case, by=world.director, why="asked", reason="Asked in person on Monday.")
    second = make_user(Role.PROGRAM_DIRECTOR, full_name="Dev Deputy")

    own = signed_in(world.director).post(reverse("retention:deletion_confirm", args=[request.pk]))
    confirmed = signed_in(second).post(reverse("retention:deletion_confirm", args=[request.pk]))

    assert "Another authorised person must confirm a deletion you asked for" in messages_of(own)[0]
    assert confirmed.status_code == 302
    assert "is deleted" in messages_of(confirmed)[0]
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("done", second)
    assert Survivor.objects.get(pk=case.survivor_id).legal_name == ""
    assert Tombstone.objects.get(case=case).deletion == request


def test_the_deletions_list_shows_who_asked_and_lets_the_asker_withdraw(world):
    case = ended_case(world, legal_name="Dora Delete")
    request = request_deletion(case, by=world.director, why="mistake", reason="Entered twice.")
    client = signed_in(world.director)

    page = client.get(reverse("retention:deletions"))
    withdrawn = client.post(reverse("retention:deletion_withdraw", args=[request.pk]))

    assert page.status_code == 200
    assert [d.pk for d in page.context["waiting"]] == [request.pk]
    assert "Another authorised person must confirm a deletion you asked for." in page.content.decode()
    assert messages_of(withdrawn) == ["The request is withdrawn; nothing was deleted."]
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert Survivor.objects.get(pk=case.survivor_id).legal_name == "Dora Delete"


def test_a_deletion_on_a_survivor_out_of_sight_is_not_found(world):
    case = ended_case(world, legal_name="Rita Restricted")
    request = request_deletion(case, by=world.director, why="mistake", reason="Entered twice.")
    case_services.set_restriction(case, by=world.supervisor, restricted=True, named=[world.supervisor])
    second = make_user(Role.PROGRAM_DIRECTOR, full_name="Dev Deputy")

    response = signed_in(second).post(reverse("retention:deletion_confirm", args=[request.pk]))
    listed = signed_in(second).get(reverse("retention:deletions"))

    assert response.status_code == 404
    assert listed.context["waiting"] == []
    assert listed.context["hidden_waiting"] == 1
    request.refresh_from_db()
    assert request.status == "waiting"


# A purged case's pages ---------------------------------------------------------------------------------


def full_record(world, *, legal_name="Paz Purged"):
    """A case of team A opened and closed long ago with a bit of everything: a contact note, a goal
    in the survivor's words, a safety plan, a family member."""
    case = make_case(team=world.team_a, specialists=[world.specialist], legal_name=legal_name,
                     opened_on=date(2022, 1, 10), date_of_birth=date(1990, 4, 2))  # fmt: skip
    with_note(world, case)
    set_goal(case, by=world.specialist, in_own_words=GOAL, domain="housing")
    save_safety_plan(
        case,
        by=world.specialist,
        risks=[],
        people=[{"name": "Marisol", "relationship": "Cousin", "phone": "860-555-0101"}],
        places=[],
        review_on=timezone.localdate() + timedelta(days=30),
    )
    case_services.add_family_member(case, by=world.specialist, name="Lena", relationship="Daughter")
    close_case(case, by=world.specialist, approver=world.supervisor, closed_on=date(2022, 6, 30))
    case.refresh_from_db()
    return case


def test_a_purged_case_reads_well_on_its_pages_the_list_search_and_the_printouts(world):
    case = full_record(world)
    code = case.survivor.client_code
    purge_now(world)
    client = signed_in(world.supervisor)

    pages = {
        "overview": client.get(case.get_absolute_url()),
        "contacts": client.get(reverse("cases:contacts", args=[case.pk])),
        "timeline": client.get(reverse("cases:timeline", args=[case.pk])),
        "history": client.get(reverse("cases:history", args=[case.pk])),
        "screenings": client.get(reverse("cases:screenings", args=[case.pk])),
        "safety plan": client.get(reverse("cases:safety_plan", args=[case.pk])),
        "case plan": client.get(reverse("phases:plan", args=[case.pk])),
        "goals": client.get(reverse("phases:goals", args=[case.pk])),
        "assistance": client.get(reverse("assistance:case", args=[case.pk])),
        "edit": client.get(reverse("cases:edit", args=[case.pk])),
        "list": client.get(reverse("cases:list")),
        "search": client.post(reverse("cases:list"), {"q": code}),
    }

    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    overview = pages["overview"].content.decode()
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    assert f"<h1>{code}</h1>" in overview
    assert f"Identifying information purged on {today} under the retention policy" in overview
    assert reverse("retention:hold_place", args=[case.pk]) not in overview  # nothing is left to hold
    for planted in ("Paz Purged", NOTE, GOAL, "Marisol", "Lena"):
        assert [name for name, page in pages.items() if planted in page.content.decode()] == [], planted
    assert code in pages["search"].content.decode()
    for kind in ("case_face_sheet", "survivor_safety_plan"):
        job, _case = request_report(by=world.supervisor, kind=kind, target_id=case.pk)
        run_report_job(job.pk)
        assert ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.DONE, kind


def test_a_case_deleted_at_the_survivors_request_says_so(world):
    case = ended_case(world, legal_name="Dora Delete")
    request = request_deletion(case, by=world.director, why="asked", reason="Asked in person on Monday.")
    from retention.services import confirm_deletion  # noqa: PLC0415 (beside its one use)

    confirm_deletion(request, by=make_user(Role.PROGRAM_DIRECTOR, full_name="Dev Deputy"))

    body = signed_in(world.director).get(case.get_absolute_url()).content.decode()
    assert f"Deleted at the survivor's request on {date_format(timezone.localdate(), 'DATE_FORMAT')}." in body
    assert reverse("retention:deletion_new", args=[case.pk]) not in body


def test_a_partly_purged_case_says_which_part_went(world):
    set_policy(by=world.director, narratives_months=24, documents_months=24, identity_months=600, reopen_months=6,
               backup_days=30)  # fmt: skip
    case = closed_with_note(world, legal_name="Pia Partial")
    purge_now(world)

    body = signed_in(world.specialist).get(case.get_absolute_url()).content.decode()

    assert "Narratives and notes purged on" in body
    assert "Notes purged on" in body  # where the latest contacts' notes were
    assert "Pia Partial" in body
    assert NOTE not in body


# Query counts -------------------------------------------------------------------------------------------


def many_due(world, size):
    """``size`` cases closed long ago (all due), every other one held, each asked to be deleted."""
    cases = []
    for n in range(size):
        case = ended_case(world, legal_name=f"Person {n}")
        if n % 2:
            place_hold(case, by=world.supervisor, reason=f"Court order {n}")
        else:
            request_deletion(case, by=world.director, why="mistake", reason=f"Entered twice ({n}).")
        cases.append(case)
    return cases


@pytest.mark.parametrize(("route", "queries"), [("retention:preview", 8), ("retention:deletions", 6)])
@pytest.mark.parametrize("size", [2, 6])
def test_the_preview_and_the_deletions_cost_the_same_however_many_cases(
    world, django_assert_num_queries, route, queries, size
):
    many_due(world, size)
    client = signed_in(world.director)
    client.get(reverse(route))

    with django_assert_num_queries(queries):
        response = client.get(reverse(route))

    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 6])
def test_the_log_costs_the_same_however_many_cases_it_took(world, django_assert_num_queries, size):
    for n in range(size):
        ended_case(world, legal_name=f"Person {n}")
    purge_now(world)
    ended_case(world, legal_name="Later")
    purge_now(world)
    client = signed_in(world.director)
    client.get(reverse("retention:log"))

    with django_assert_num_queries(6):
        response = client.get(reverse("retention:log"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
