"""The purge engine (``retention.purge``): each level takes what it names from the rows, their history,
the files and the copies, and nothing else; twice takes nothing; an audit keeps what it needs.

Each test fills a case of its own with a record of every kind and plants a token in every field a
purge may take (``tests/retention/records.py``), since deleted files are not rolled back with the
test's transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import ForeignKey, OneToOneField
from django.urls import reverse
from django.utils import timezone

from assistance.models import AssistanceRequest, Fund, Payment
from assistance.retention import kept_until, retention_ends
from bloom import privacy
from bloom.audit.models import AccessLogEntry
from bloom.directory.models import Organization
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify
from bloom.reports.builders import BUILDERS
from bloom.reports.models import ReportJob
from cases import permissions, queries
from cases.models import Case, Contact, Survivor
from cases.services.contacts import log_contact
from cases.survivor_copy.printing import KIND as SURVIVOR_COPY
from retention.models import Hold, Level, Tombstone
from retention.purge import (
    CASE_REPORTS,
    PURGED,
    TEAM_REPORTS,
    PurgeRefused,
    audit_kept_until,
    history_model,
    purge_audit_records,
    purge_case,
    purge_survivor,
)
from tests.factories import make_case, make_fund
from tests.retention.records import Made, Staff, Tokens, case_rows, fill, plant

Kind = privacy.Kind
EMPTY = ("", PURGED, None, [], {})


@dataclass
class Filled:
    made: Made
    case: Case
    tokens: Tokens
    fund: Fund
    staff: Staff


def filled_case(world, *, audit_ended: bool = True) -> Filled:
    """A case of a survivor of its own with a record of every kind, every field a purge takes planted;
    the award that paid for it ended its retention long ago, unless ``audit_ended`` is False."""
    staff = Staff(specialist=world.specialist, supervisor=world.supervisor, finance=world.finance,
                  outsider=world.outsider)  # fmt: skip
    tokens = Tokens("Rv1t", birthday=date(1913, 7, 13))
    fund = make_fund(world.director, award_number="AW-PURGE")
    case = make_case(team=world.team_a, specialists=[world.specialist], legal_name=tokens(),
                     opened_on=timezone.localdate() - timedelta(days=120))  # fmt: skip
    made = fill(case, staff, fund=fund, tokens=tokens, organization=Organization.objects.create(name="Legal aid"))
    plant(case.survivor, tokens)
    if audit_ended:
        Fund.objects.filter(pk=fund.pk).update(final_report_on=date(2019, 12, 1))
    case.refresh_from_db()
    return Filled(made=made, case=case, tokens=tokens, fund=fund, staff=staff)


@pytest.fixture
def filled(world) -> Filled:
    return filled_case(world)


def today() -> date:
    return timezone.localdate()


def values(case: Case, kinds: set[str]) -> dict[str, object]:
    """{"app.Model.field #pk": value} of the fields of ``kinds`` in the case's rows and their history rows."""
    found = {}
    for model, path in privacy.case_models():
        ids = list(case_rows(model, path, case).values_list("pk", flat=True))
        names = [name for name, kind in privacy.registry.kinds(model).items() if kind in kinds]
        columns = {name: model._meta.get_field(name).attname for name in names}
        tables = [(model, model._base_manager.filter(pk__in=ids))]
        if history := history_model(model):
            tables.append((history, history._base_manager.filter(id__in=ids)))
        for table, rows in tables:
            for row in rows.values("pk", *columns.values()):
                found |= {
                    f"{privacy.label(table)}.{name} #{row['pk']}": row[column] for name, column in columns.items()
                }
    return found


def reasons(case: Case) -> list[str]:
    """The change reasons of the history rows of the case's rows that still say something."""
    said = []
    for model, path in privacy.case_models():
        ids = case_rows(model, path, case).values("pk")
        if history := history_model(model):
            rows = history._base_manager.filter(id__in=ids).exclude(history_change_reason="")
            said += [reason for reason in rows.values_list("history_change_reason", flat=True) if reason]
    return said


def stored(*names: str) -> list[bool]:
    return [default_storage.exists(name) for name in names]


def all_files(made: Made) -> list[str]:
    return [made.document.file.name, made.earlier_file, made.receipt.file.name, made.face_sheet.file.name]


# Partial purges ---------------------------------------------------------------------------------


def test_a_narratives_purge_blanks_every_narrative_and_leaves_identity_and_files(filled):
    case, made = filled.case, filled.made
    narratives, identity, files = (
        values(case, {Kind.NARRATIVE}),
        values(case, {Kind.IDENTIFYING}),
        values(case, {Kind.FILE}),
    )
    assert sum(value not in EMPTY for value in narratives.values()) > 80

    counts = purge_case(case, Level.NARRATIVES, today=today())

    assert {where: value for where, value in values(case, {Kind.NARRATIVE}).items() if value not in EMPTY} == {}
    assert (values(case, {Kind.IDENTIFYING}), values(case, {Kind.FILE})) == (identity, files)
    assert reasons(case) == []
    assert stored(*all_files(made)[:3]) == [True, True, True]
    # The survivor's own row is theirs, not the case's: only ``purge_survivor`` takes from it.
    survivor = Survivor.objects.get(pk=case.survivor_id)
    prefix = filled.tokens.prefix
    assert (survivor.safe_contact_notes.startswith(prefix), survivor.legal_name.startswith(prefix)) == (True, True)
    tombstone = Tombstone.objects.get(case=case)
    assert (tombstone.narratives_purged_on, tombstone.documents_purged_on, tombstone.identity_purged_on) == (
        today(),
        None,
        None,
    )
    assert counts["rows"] > 30
    assert counts["history rows"] > 40


def test_a_documents_purge_deletes_the_files_and_only_them(filled):
    case, made = filled.case, filled.made
    narratives, identity = values(case, {Kind.NARRATIVE}), values(case, {Kind.IDENTIFYING})

    counts = purge_case(case, Level.DOCUMENTS, today=today())

    assert stored(*all_files(made)) == [False, False, False, False]
    assert {where: value for where, value in values(case, {Kind.FILE}).items() if value not in EMPTY} == {}
    assert (values(case, {Kind.NARRATIVE}), values(case, {Kind.IDENTIFYING})) == (narratives, identity)
    # Deleting a document removes its file once the transaction commits, which a test's never
    # does: the purge finds it by the document's history and takes it too.
    assert stored(made.deleted_file) == [False]
    assert (counts["files"], counts["report files"]) == (4, 2)
    assert Tombstone.objects.get(case=case).documents_purged_on == today()


def test_every_level_takes_the_reports_generated_about_the_case(filled):
    made = filled.made

    purge_case(filled.case, Level.NARRATIVES, today=today())

    jobs = ReportJob.objects.filter(pk__in=[made.face_sheet.pk, made.team_report.pk])
    assert sorted(jobs.values_list("file", "filename", "status")) == [("", "", "expired")] * 2
    assert stored(made.face_sheet.file.name, made.team_report.file.name) == [False, False]


def test_a_survivors_copy_asked_from_another_of_their_cases_goes_with_any_of_them(filled, world):
    case = filled.case
    later = Case.objects.create(survivor=case.survivor, team=case.team, status=Case.Status.INTAKE,
                                created_by=world.specialist)  # fmt: skip
    copy = ReportJob.objects.create(kind=SURVIVOR_COPY, target_id=later.pk, requested_by=world.specialist,
                                    filename="copy.pdf", status=ReportJob.Status.DONE)  # fmt: skip
    other = ReportJob.objects.create(kind=SURVIVOR_COPY, target_id=world.case_a.pk, requested_by=world.specialist,
                                     filename="other.pdf", status=ReportJob.Status.DONE)  # fmt: skip

    purge_case(case, Level.NARRATIVES, today=today())

    assert ReportJob.objects.get(pk=copy.pk).filename == ""
    assert ReportJob.objects.get(pk=other.pk).filename == "other.pdf"


def test_a_whole_purge_takes_identity_narratives_and_files_but_not_the_survivors_own_row(filled):
    case = filled.case

    purge_case(case, Level.IDENTITY, today=today())

    left = values(case, {Kind.NARRATIVE, Kind.IDENTIFYING, Kind.FILE})
    assert {where: value for where, value in left.items() if value not in EMPTY} == {}
    survivor = Survivor.objects.get(pk=case.survivor_id)
    assert survivor.legal_name.startswith(filled.tokens.prefix)
    tombstone = Tombstone.objects.get(case=case)
    assert {tombstone.narratives_purged_on, tombstone.documents_purged_on, tombstone.identity_purged_on} == {today()}


def test_a_dash_stands_where_a_constraint_wants_text(filled):
    case = filled.case

    purge_case(case, Level.IDENTITY, today=today())

    requests = AssistanceRequest.objects.filter(case=case).order_by("status")
    assert list(requests.values_list("status", "payee_name", "purpose", "close_reason")) == [
        ("denied", PURGED, PURGED, PURGED),
        ("paid", PURGED, PURGED, PURGED),
    ]
    assert list(Hold.objects.filter(case=case).values_list("reason", "lift_note")) == [(PURGED, "")]


# Twice, and on hold -----------------------------------------------------------------------------


@pytest.mark.parametrize("level", [Level.NARRATIVES, Level.DOCUMENTS, Level.IDENTITY])
def test_a_second_purge_takes_nothing_and_writes_no_history(filled, level):
    purge_case(filled.case, level, today=today())
    tombstone_rows = Tombstone.history.filter(case=filled.case).count()

    again = purge_case(filled.case, level, today=today() + timedelta(days=1))

    assert again == dict.fromkeys(again, 0)
    assert Tombstone.history.filter(case=filled.case).count() == tombstone_rows == 1
    assert getattr(Tombstone.objects.get(case=filled.case), f"{level}_purged_on") == today()


def test_a_case_on_hold_is_not_purged(filled):
    case = filled.case
    Hold.objects.create(case=case, reason="Court order", placed_by=filled.staff.supervisor)
    before = values(case, {Kind.NARRATIVE, Kind.IDENTIFYING, Kind.FILE})

    with pytest.raises(PurgeRefused):
        purge_case(case, Level.NARRATIVES, today=today())
    with pytest.raises(PurgeRefused):
        purge_survivor(case.survivor, today=today())

    assert values(case, {Kind.NARRATIVE, Kind.IDENTIFYING, Kind.FILE}) == before
    assert Tombstone.objects.filter(case=case).exists() is False


# The copies ---------------------------------------------------------------------------------------


def test_a_whole_purge_deletes_the_notifications_about_the_case_and_no_other(filled, world):
    case, recipient = filled.case, filled.staff.supervisor
    code = case.survivor.client_code
    notices = {
        "code": Notice(recipient.pk, Notification.Kind.CONTACT_OVERDUE, {"code": code, "since": "2026-01-05"}, "",
                       "test:code"),
        "page": Notice(recipient.pk, Notification.Kind.STEP_OVERDUE, {"since": "2026-01-05"},
                       reverse("phases:goals", args=[case.pk]), "test:page"),
        "money": Notice(recipient.pk, Notification.Kind.ASSISTANCE_TO_PAY, {"number": "R-1", "amount": "$1"},
                        reverse("assistance:request", args=[filled.made.paid.pk]), "test:money"),
        "another": Notice(recipient.pk, Notification.Kind.CONTACT_OVERDUE,
                          {"code": world.case_b.survivor.client_code, "since": "2026-01-05"},
                          reverse("cases:detail", args=[world.case_b.pk]), "test:another"),
    }  # fmt: skip
    notify(notices.values())
    about = Notification.objects.filter(dedupe_key__in=["test:code", "test:page", "test:money"])
    waiting = Notification.objects.filter(kind=Notification.Kind.INTAKE_REQUEST_WAITING, recipient=recipient)
    before = (about.count(), waiting.count())

    purge_case(case, Level.NARRATIVES, today=today())
    after_narratives = (about.count(), waiting.count())
    counts = purge_case(case, Level.IDENTITY, today=today())

    assert (before, after_narratives, (about.count(), waiting.count())) == ((3, 1), (3, 1), (0, 0))
    assert Notification.objects.filter(dedupe_key="test:another").count() == 1
    assert counts["notifications"] >= 4


def test_the_access_logs_reasons_about_the_case_and_its_rows_are_blanked_and_nothing_else(filled, world):
    case = filled.case
    entries = AccessLogEntry.objects.filter(target_label=case.survivor.client_code)
    other = AccessLogEntry.objects.create(
        user=world.specialist, action="view", target_label="BL-OTHER", reason="Crisis call",
        target_type=ContentType.objects.get_for_model(Case), target_id=world.case_b.pk,
    )  # fmt: skip
    who = sorted(entries.values_list("pk", "user", "action", "target_type", "target_id", "at"))
    assert len(who) == 3

    counts = purge_case(case, Level.NARRATIVES, today=today())

    assert sorted(entries.values_list("pk", "user", "action", "target_type", "target_id", "at")) == who
    assert set(entries.values_list("reason", flat=True)) == {""}
    assert AccessLogEntry.objects.get(pk=other.pk).reason == "Crisis call"
    assert counts["access log entries"] == 3
    # For everything but the purge, the log stays append-only.
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=other.pk).update(reason="")


def test_after_a_whole_purge_neither_the_search_nor_the_duplicate_check_finds_the_survivor(filled, world):
    case = filled.case
    survivor = Survivor.objects.get(pk=case.survivor_id)
    Survivor.objects.filter(pk=survivor.pk).update(phone="(860) 555-0199", phone_digits="8605550199")
    name, alias = survivor.legal_name, survivor.aliases
    visible = permissions.visible_cases(world.specialist)

    def found():
        searched = [
            list(queries.search(visible, text).values_list("pk", flat=True)) for text in (name, alias, "8605550199")
        ]
        duplicates = permissions.possible_duplicates(world.specialist, names=[name, alias], date_of_birth=None)
        hidden = permissions.possible_duplicates(world.colleague, names=[name], date_of_birth=None).hidden
        return searched, [each.pk for each in duplicates.visible], hidden

    before = found()
    for each in Case.objects.filter(survivor=survivor):
        purge_case(each, Level.IDENTITY, today=today())
    purge_survivor(survivor, today=today())

    assert before == ([[case.pk]] * 3, [case.pk], True)
    assert found() == ([[], [], []], [], False)
    survivor.refresh_from_db()
    assert (survivor.phone, survivor.phone_digits, survivor.date_of_birth, survivor.town_id) == ("", "", None, None)
    assert survivor.client_code.startswith("BL-")
    history = Survivor.history.filter(id=survivor.pk)
    assert (history.count() > 1, set(history.values_list("legal_name", "aliases", "phone_digits"))) == (
        True,
        {("", "", "")},
    )


def test_a_case_page_is_sent_to_be_kept_nowhere(client, world):
    client.force_login(world.specialist)

    response = client.get(reverse("cases:detail", args=[world.case_a.pk]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# The survivor ---------------------------------------------------------------------------------


def test_the_survivors_purge_keeps_each_cases_age_at_intake_first(world):
    born = make_case(team=world.team_a, specialists=[world.specialist], date_of_birth=date(2000, 6, 1),
                     opened_on=date(2025, 5, 31))  # fmt: skip
    estimated = make_case(team=world.team_a, specialists=[world.specialist], estimated_age=40)
    unknown = make_case(team=world.team_a, specialists=[world.specialist])

    for case in (born, estimated, unknown):
        purge_survivor(case.survivor, today=today())

    ages = dict(Case.objects.filter(pk__in=[born.pk, estimated.pk, unknown.pk]).values_list("pk", "intake_age"))
    assert ages == {born.pk: 24, estimated.pk: 40, unknown.pk: None}
    assert Survivor.objects.get(pk=born.survivor_id).date_of_birth is None
    assert Case.history.filter(id=born.pk, intake_age=24).count() == 1


def test_a_second_survivor_purge_takes_nothing(filled):
    survivor = filled.case.survivor
    first = purge_survivor(survivor, today=today())
    case_history = Case.history.filter(survivor=survivor).count()

    again = purge_survivor(survivor, today=today())

    assert (sum(first.values()) > 0, again) == (True, dict.fromkeys(again, 0))
    assert Case.history.filter(survivor=survivor).count() == case_history


# Kept for a grant audit -----------------------------------------------------------------------------


def test_an_awards_records_are_kept_three_years_after_its_final_report_or_its_deadline(world):
    fund = make_fund(world.director, starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31))

    without_report = retention_ends(fund)
    fund.final_report_on = date(2025, 3, 15)

    assert (without_report, retention_ends(fund)) == (date(2028, 4, 30), date(2028, 3, 15))


def test_a_paid_request_keeps_payee_purpose_payment_and_receipt_until_the_awards_retention_ends(world):
    filled = filled_case(world, audit_ended=False)
    case, paid, receipt = filled.case, filled.made.paid, filled.made.receipt
    receipt_file = receipt.file.name
    ends = retention_ends(filled.fund)
    kept = AssistanceRequest.objects.filter(pk=paid.pk).values_list("payee_name", "payee_details", "purpose")
    paid_before = kept.get()

    purge_case(case, Level.IDENTITY, today=today())
    purge_survivor(case.survivor, today=today())
    early = purge_audit_records(case, today=ends - timedelta(days=1))

    receipt.refresh_from_db()
    assert (audit_kept_until(case), kept_until(case)) == (ends, ends)
    assert kept.get() == paid_before
    assert all(value.startswith(filled.tokens.prefix) for value in paid_before)
    assert Payment.objects.filter(request=paid).exists()
    assert (stored(receipt_file), receipt.file.name, receipt.title.startswith(filled.tokens.prefix)) == (
        [True],
        receipt_file,
        True,
    )
    assert receipt.original_name == ""  # their identity goes anyway
    assert Survivor.objects.get(pk=case.survivor_id).legal_name == ""
    denied = AssistanceRequest.objects.filter(case=case, status="denied").values_list("payee_name", "purpose")
    assert denied.get() == (PURGED, PURGED)
    tombstone = Tombstone.objects.get(case=case)
    assert (tombstone.audit_kept_until, tombstone.audit_purged_on, sum(early.values())) == (ends, None, 0)

    taken = purge_audit_records(case, today=ends)

    receipt.refresh_from_db()
    assert kept.get() == (PURGED, "", PURGED)
    assert (receipt.file.name, receipt.title, stored(receipt_file)) == ("", "", [False])
    assert Tombstone.objects.get(case=case).audit_purged_on == ends
    assert (taken["rows"], taken["files"]) == (2, 1)
    assert purge_audit_records(case, today=ends) == dict.fromkeys(taken, 0)


def test_an_award_whose_report_moved_later_keeps_the_records_and_says_until_when(world):
    filled = filled_case(world, audit_ended=False)
    case = filled.case
    purge_case(case, Level.NARRATIVES, today=today())
    ends = retention_ends(filled.fund)
    Fund.objects.filter(pk=filled.fund.pk).update(final_report_on=filled.fund.ends_on + timedelta(days=200))
    later = audit_kept_until(case)

    taken = purge_audit_records(case, today=ends)

    assert later > ends
    assert sum(taken.values()) == 0
    assert Tombstone.objects.get(case=case).audit_kept_until == later


# What the engine relies on -------------------------------------------------------------------------


def test_every_report_kind_is_about_a_case_a_team_or_no_one():
    about_no_one = {kind for kind, builder in BUILDERS.items() if builder.log_job or not builder.logged}

    assert set(CASE_REPORTS) | set(TEAM_REPORTS) | about_no_one == set(BUILDERS)
    assert (set(CASE_REPORTS) | set(TEAM_REPORTS)) & about_no_one == set()


def test_every_lookup_to_a_case_leads_to_a_case_and_every_record_of_a_case_has_one():
    lookups = dict(privacy.case_models())

    def leads_to_case(model, path: str) -> bool:
        if path == "pk":
            return model is Case
        for name in path.split("__"):
            model = model._meta.get_field(name).related_model
        return model is Case

    def hangs_off_a_case(model) -> bool:
        return any(
            isinstance(field, ForeignKey | OneToOneField)
            and (field.related_model is Case or field.related_model in lookups)
            for field in model._meta.concrete_fields
        )

    takes = (Kind.IDENTIFYING, Kind.NARRATIVE, Kind.FILE)
    unreached = [
        privacy.label(model)
        for model in privacy.registered_models()
        if model not in lookups
        and hangs_off_a_case(model)
        and any(privacy.registry.fields(model, kind) for kind in takes)
    ]
    assert [privacy.label(model) for model, path in lookups.items() if not leads_to_case(model, path)] == []
    assert unreached == []


# Query counts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("contacts", [2, 20])
def test_a_purge_costs_the_same_queries_whatever_the_number_of_rows(world, contacts, django_assert_num_queries):
    case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=date(2025, 1, 6))
    for n in range(contacts):
        moment = datetime.combine(
            date(2025, 1, 7) + timedelta(days=n), time(10), tzinfo=timezone.get_current_timezone()
        )
        log_contact(case, by=world.specialist, kind="phone", occurred_at=moment, initiated_by="staff", note=f"Note {n}")
    assert Contact.objects.filter(case=case).count() == contacts

    with django_assert_num_queries(69):
        purge_case(case, Level.IDENTITY, today=today())
