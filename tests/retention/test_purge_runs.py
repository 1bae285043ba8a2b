"""The purge run: what it takes on which day, its log entry, running it twice, and its tasks."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assistance.models import AssistanceRequest
from assistance.services import requests as request_services
from bloom.audit.models import PurgeLogEntry
from cases import services as case_services
from cases.models import IntakeRequest, Survivor
from cases.services import inbox
from cases.services.closure import ClosureError
from cases.services.intake import IntakeError
from retention import schedule, tasks
from retention.models import Level, RetentionPolicy, Tombstone
from retention.purge import purge_case, purge_survivor
from retention.services import place_hold, queue_purge
from tests.factories import ask_money, close_case, make_case, make_fund, pay_money, request_for_help
from tests.retention.test_schedule import IDENTITY_DUE, NARRATIVES_DUE, again, ended_case, not_enrolled_case, policy

N, D, ID = Level.NARRATIVES, Level.DOCUMENTS, Level.IDENTITY
BY_HAND = PurgeLogEntry.Trigger.BY_HAND


def purged_on(case) -> tuple:
    tombstone = Tombstone.objects.filter(case=case).first()
    if tombstone is None:
        return (None, None, None)
    return (tombstone.narratives_purged_on, tombstone.documents_purged_on, tombstone.identity_purged_on)


def test_a_run_takes_the_narratives_and_documents_due_and_logs_it(world):
    case = ended_case(world, legal_name="Rita Retained")

    entry = schedule.run(today=NARRATIVES_DUE, trigger=BY_HAND, by=world.director)

    assert (entry.trigger, entry.by, entry.held) == (BY_HAND, world.director, 0)
    assert entry.policy == RetentionPolicy().snapshot()  # the defaults: never set
    assert entry.cases == {N: [case.pk], D: [case.pk]}
    assert entry.counts[N]["cases"] == entry.counts[D]["cases"] == 1
    assert purged_on(case) == (NARRATIVES_DUE, NARRATIVES_DUE, None)
    assert Survivor.objects.filter(legal_name="Rita Retained").exists()


def test_a_run_takes_the_identity_when_it_is_due(world):
    case = ended_case(world, legal_name="Rita Retained")

    entry = schedule.run(today=IDENTITY_DUE, trigger=BY_HAND, by=world.director)

    assert entry.cases == {ID: [case.pk]}
    assert entry.counts[ID]["cases"] == 1
    assert purged_on(case) == (IDENTITY_DUE, IDENTITY_DUE, IDENTITY_DUE)
    assert not Survivor.objects.filter(legal_name="Rita Retained").exists()


def test_a_record_whose_identity_went_takes_no_new_details_and_no_new_enrollment(world):
    case = ended_case(world, legal_name="Rita Retained")
    schedule.run(today=IDENTITY_DUE, trigger=BY_HAND, by=world.director)

    with pytest.raises(IntakeError, match="purged under the retention policy"):
        case_services.update_case(case, by=world.supervisor, details={"legal_name": "Rita Again"}, referral={})
    with pytest.raises(ClosureError, match="purged under the retention policy"):
        again(world, case, on=IDENTITY_DUE)
    assert Survivor.objects.get(pk=case.survivor_id).legal_name == ""


def test_a_run_the_day_before_takes_nothing(world):
    case = ended_case(world)

    assert schedule.run(today=date(2024, 6, 29), trigger=BY_HAND, by=world.director) is None
    assert purged_on(case) == (None, None, None)
    assert PurgeLogEntry.objects.count() == 0


def test_running_twice_purges_once(world):
    case = ended_case(world)
    first = schedule.run(today=NARRATIVES_DUE, trigger=BY_HAND, by=world.director)
    history = Tombstone.history.count()

    second = schedule.run(today=NARRATIVES_DUE, trigger=BY_HAND, by=world.director)

    assert first is not None
    assert second is None
    assert PurgeLogEntry.objects.count() == 1
    assert Tombstone.history.count() == history
    assert purged_on(case) == (NARRATIVES_DUE, NARRATIVES_DUE, None)


def test_a_later_run_takes_what_falls_due_later(world):
    case = ended_case(world)
    schedule.run(today=NARRATIVES_DUE, trigger=BY_HAND, by=world.director)

    entry = schedule.run(today=IDENTITY_DUE, trigger=BY_HAND, by=world.director)

    assert entry.cases == {ID: [case.pk]}
    assert purged_on(case) == (NARRATIVES_DUE, NARRATIVES_DUE, IDENTITY_DUE)


def test_the_identity_of_several_enrollments_waits_for_the_latest(world):
    first = ended_case(world, closed_on=date(2022, 6, 30), legal_name="Sara Several")
    second = again(world, first, on=date(2023, 1, 9))
    close_case(second, by=world.specialist, approver=world.supervisor, closed_on=date(2023, 9, 29))

    # The first enrollment's own identity day has come; the second's has not.
    early = schedule.run(today=date(2025, 7, 1), trigger=BY_HAND, by=world.director)
    kept = Survivor.objects.filter(legal_name="Sara Several").exists()
    late = schedule.run(today=date(2026, 9, 29), trigger=BY_HAND, by=world.director)

    assert early.cases == {N: [first.pk], D: [first.pk]}
    assert kept is True
    # The whole purge takes the second enrollment's narratives with everything else.
    assert late.cases == {ID: [first.pk, second.pk]}
    assert purged_on(first)[2] == purged_on(second)[2] == date(2026, 9, 29)
    assert Survivor.objects.filter(legal_name="Sara Several").exists() is False


def test_an_open_enrollment_keeps_the_survivor_identity(world):
    first = ended_case(world, closed_on=date(2022, 6, 30), legal_name="Olga Open")
    again(world, first, on=date(2023, 1, 9))

    entry = schedule.run(today=date(2030, 1, 1), trigger=BY_HAND, by=world.director)

    assert entry.cases == {N: [first.pk], D: [first.pk]}
    assert Survivor.objects.filter(legal_name="Olga Open").exists()


def test_a_case_never_enrolled_is_purged_from_its_last_contact(world):
    case = not_enrolled_case(world, contacts=[date(2022, 3, 5)])

    assert schedule.run(today=date(2024, 3, 4), trigger=BY_HAND, by=world.director) is None
    entry = schedule.run(today=date(2024, 3, 5), trigger=BY_HAND, by=world.director)

    assert entry.cases == {N: [case.pk], D: [case.pk]}


def test_a_shorter_policy_brings_the_day_nearer(world):
    case = ended_case(world)
    policy(world, narratives=6, documents=12, identity=12)

    entry = schedule.run(today=date(2022, 12, 30), trigger=BY_HAND, by=world.director)

    assert entry.cases == {N: [case.pk]}
    assert entry.policy["narratives_months"] == 6


def test_the_daily_task_runs_on_the_schedule_with_nobody_named(world):
    # Closed long before the day the tests' clock stands at, whichever it is.
    case = ended_case(world, opened_on=date(2019, 1, 7), closed_on=date(2019, 2, 1))

    entry_id = tasks.run_purge()

    entry = PurgeLogEntry.objects.get(pk=entry_id)
    assert (entry.trigger, entry.by, entry.cases) == (PurgeLogEntry.Trigger.SCHEDULE, None, {ID: [case.pk]})
    assert tasks.run_purge() is None


def test_the_task_run_by_hand_checks_who_asked(world):
    case = ended_case(world, opened_on=date(2019, 1, 7), closed_on=date(2019, 2, 1))

    assert tasks.run_purge_now(world.supervisor.pk) is None
    assert tasks.run_purge_now(0) is None
    assert PurgeLogEntry.objects.count() == 0

    entry = PurgeLogEntry.objects.get(pk=tasks.run_purge_now(world.director.pk))
    assert (entry.trigger, entry.by, entry.cases) == (BY_HAND, world.director, {ID: [case.pk]})


def test_queuing_a_run_by_hand_waits_for_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        queue_purge(by=world.director)

    assert len(callbacks) == 1


def test_only_those_who_manage_retention_may_queue_a_run(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied):
        queue_purge(by=world.supervisor)

    assert callbacks == []


def paid_case(world, *, payee="Park Street Apartments LLC"):
    """A case whose rent was paid from an award that ends on 30 September 2029 (its records kept
    until 28 January 2033: 120 days for the final report, then three years), closed in 2022."""
    case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=OPENED_EARLY)
    fund = make_fund(world.director, starts_on=date(2024, 10, 1), ends_on=date(2029, 9, 30))
    asked = ask_money(case, world.specialist, fund, payee_name=payee)
    pay_money(request_services.approve(asked, by=world.supervisor), world.finance)
    close_case(case, by=world.specialist, approver=world.supervisor, closed_on=date(2022, 6, 30))
    return case, asked


OPENED_EARLY = date(2022, 1, 10)
AUDIT_ENDS = date(2033, 1, 28)


def test_what_a_grant_audit_needs_outlives_the_whole_purge_until_the_award_retention_ends(world):
    case, asked = paid_case(world)

    schedule.run(today=date(2030, 1, 1), trigger=BY_HAND, by=world.director)
    kept = AssistanceRequest.objects.get(pk=asked.pk).payee_name
    assert schedule.run(today=AUDIT_ENDS - timedelta(days=1), trigger=BY_HAND, by=world.director) is None
    entry = schedule.run(today=AUDIT_ENDS, trigger=BY_HAND, by=world.director)

    assert kept == "Park Street Apartments LLC"
    assert Tombstone.objects.get(case=case).audit_kept_until == AUDIT_ENDS
    assert (entry.trigger, entry.by, entry.cases) == (
        PurgeLogEntry.Trigger.AUDIT_ENDED,
        world.director,
        {"audit": [case.pk]},
    )
    assert Tombstone.objects.get(case=case).audit_purged_on == AUDIT_ENDS
    assert "Park Street" not in AssistanceRequest.objects.get(pk=asked.pk).payee_name
    assert schedule.run(today=AUDIT_ENDS, trigger=BY_HAND, by=world.director) is None


def test_a_hold_keeps_what_a_grant_audit_needs_too(world):
    case, asked = paid_case(world)
    schedule.run(today=date(2030, 1, 1), trigger=BY_HAND, by=world.director)
    place_hold(case, by=world.supervisor, reason="The auditors asked for it")

    assert schedule.purge_kept_for_audit(today=AUDIT_ENDS, by=world.director) is None
    assert Tombstone.objects.get(case=case).audit_purged_on is None
    assert AssistanceRequest.objects.get(pk=asked.pk).payee_name == "Park Street Apartments LLC"


# Requests for help closed without an intake ------------------------------------------------------


def closed_request(world, *, closed_on, **overrides):
    """A request for help passed to team A and closed without an intake at noon on ``closed_on``."""
    row = inbox.receive(request_for_help(world.team_a, where="Park Street", **overrides), by=world.outreach)
    inbox.close_request(row, by=world.specialist, reason="Reached them: already served elsewhere.")
    at = timezone.make_aware(datetime.combine(closed_on, time(12)))
    IntakeRequest.objects.filter(pk=row.pk).update(decided_at=at)
    return row


def test_a_request_closed_without_an_intake_loses_its_words_after_the_identity_period(world):
    policy(world, narratives=12, documents=12, identity=12)
    due = closed_request(world, closed_on=date(2024, 3, 1), name="Rosa Early", in_their_words="Sleeps at the depot")
    recent = closed_request(world, closed_on=date(2024, 3, 2), name="Rosa Late")

    entry = schedule.run(today=date(2025, 3, 1), trigger=PurgeLogEntry.Trigger.SCHEDULE)

    row = IntakeRequest.objects.get(pk=due.pk)
    assert (row.name, row.where, row.phone, row.in_their_words, row.status) == ("", "", "", "", "closed")
    assert row.closed_reason == "\u2014"  # a closed request keeps a reason, and says nothing
    assert [h.name for h in row.history.all()] == ["", ""]
    assert IntakeRequest.objects.get(pk=recent.pk).name == "Rosa Late"
    assert entry.counts[schedule.REQUESTS]["requests"] == 1
    assert schedule.run(today=date(2025, 3, 1), trigger=PurgeLogEntry.Trigger.SCHEDULE) is None


def test_a_payment_to_the_survivor_keeps_no_payee_for_the_audit(world):
    case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=OPENED_EARLY)
    fund = make_fund(world.director, starts_on=date(2024, 10, 1), ends_on=date(2029, 9, 30))
    asked = ask_money(case, world.specialist, fund, payee_kind=AssistanceRequest.Payee.SURVIVOR, payee_name="",
                      payee_details="Her account 0042 at Park Bank")  # fmt: skip
    pay_money(request_services.approve(asked, by=world.supervisor), world.finance)
    close_case(case, by=world.specialist, approver=world.supervisor, closed_on=date(2022, 6, 30))

    schedule.run(today=date(2030, 1, 1), trigger=BY_HAND, by=world.director)

    kept = AssistanceRequest.objects.get(pk=asked.pk)
    assert (kept.payee_details, kept.amount) == ("", asked.amount)
    assert Tombstone.objects.get(case=case).audit_kept_until == AUDIT_ENDS  # the receipt and payment stay


def test_the_first_history_row_of_a_request_for_help_goes_with_its_case(world):
    row = inbox.receive(request_for_help(world.team_a, name="Rosa Before", where="Depot"), by=world.outreach)
    case = inbox.start_intake_from(row, by=world.specialist)

    purge_case(case, Level.IDENTITY, today=date(2030, 1, 1))

    assert {(h.name, h.where) for h in IntakeRequest.history.filter(id=row.pk)} == {("", "")}


def test_an_intake_dated_before_a_corrected_birth_date_keeps_no_age(world):
    case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=date(2022, 1, 10))
    Survivor.objects.filter(pk=case.survivor_id).update(date_of_birth=date(2023, 5, 1))

    purge_survivor(Survivor.objects.get(pk=case.survivor_id), today=date(2030, 1, 1))

    case.refresh_from_db()
    assert (case.intake_age, Survivor.objects.get(pk=case.survivor_id).date_of_birth) == (None, None)
