"""A survivor's cases holding a record of every kind, with a value of their own in every field a purge takes.

``fill`` makes, through the services, at least one row of every model the privacy registry says
belongs to a case, with a token of the survivor's own in the free text it passes; the copies a
purge must reach besides the rows are made too (an earlier upload only a history row names, a
deleted row, a generated report, a notification, access-log reasons). ``plant`` then writes a
token of the survivor's in every identifying and narrative field of every row of their cases and
of their history rows, driven by the registry, so that a field added later is covered without a
line here. Each survivor's tokens start with a prefix of their own, so that a search of any text
(a database dump, a file) says whose they are.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from assistance.services import requests as request_services
from bloom import privacy, writes
from bloom.accounts.models import User
from bloom.audit.models import AccessLogEntry
from bloom.directory.models import Organization, Town
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify
from bloom.reports.models import ReportJob
from cases.models import Case, Document, Handoff, IntakeRequest, Survivor
from cases.printouts import FACE_SHEET
from cases.service_report.printing import TEAM_KIND
from cases.services import (
    add_family_member,
    record_mandated_report,
    record_screening,
    remove_family_member,
    return_closure,
    save_safety_plan,
    update_case,
)
from cases.services.access import open_in_emergency
from cases.services.contacts import correct_contact, log_contact, record_stage
from cases.services.sharing import add_document, delete_document, make_referral, record_release
from phases.services import budget as budget_services
from phases.services import goals as goal_services
from retention.models import Hold
from retention.purge import history_model
from tests.cases.sharing_files import pdf_bytes
from tests.factories import ask_money, ask_to_close, ask_to_move, give_kit, pay_money, shelter_stay, start_plan

SEX_TRAFFICKING = {"actions": ["recruits"], "means": ["confinement"], "purposes": ["commercial sex"]}


@dataclass
class Staff:
    specialist: User  # assigned to the cases
    supervisor: User  # of their team
    finance: User
    outsider: User  # a specialist of another team, who opens a case in an emergency


@dataclass
class Tokens:
    """One survivor's tokens: ``prefix`` then a number then "w", each remembered with where it went."""

    prefix: str
    birthday: date
    origins: dict[str, str] = field(default_factory=dict)
    # "app.Model.field" of each field planted in some row, and of each that a check constraint
    # kept empty in some row.
    planted: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __call__(self, origin: str = "passed to a service") -> str:
        value = f"{self.prefix}{next(self._numbers)}w"
        self.origins[value] = origin
        return value

    def pdf(self, origin: str) -> bytes:
        """A PDF whose bytes carry a token (after its header, as a comment)."""
        return pdf_bytes() + b"%" + self(origin).encode() + b"\n"


@dataclass
class Made:
    """What ``fill`` made that a test looks at again."""

    case: Case
    document: Document  # its current file and an earlier one that only its history names
    earlier_file: str
    deleted_file: str  # of a document deleted since: its row names none, its history does
    receipt: Document  # of the paid request
    paid: object  # the paid request
    plan_removed: int  # the id of a safety plan version deleted after planting (``remove_planted``)
    member_removed: object  # a family member removed after planting
    intake_request: IntakeRequest
    face_sheet: ReportJob
    team_report: ReportJob


def upload(tokens: Tokens, origin: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{tokens(origin + ' (its name)')}.pdf", tokens.pdf(origin), "application/pdf")


def at(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def fill(case: Case, staff: Staff, *, fund, tokens: Tokens, organization: Organization) -> Made:
    """A record of every kind on ``case`` (open, with its intake well in the past), through the services."""
    by, today = staff.specialist, timezone.localdate()
    opened = case.opened_on
    for _edit in (1, 2):  # several history rows of the survivor and the case, each with its own words
        update_case(
            case, by=by, details={"preferred_name": tokens(), "aliases": tokens(), "phone": f"860-555-01{_edit}0"},
            referral={"referring_person": tokens(), "referring_contact": tokens()},
        )  # fmt: skip
    contact = log_contact(case, by=by, kind="phone", occurred_at=at(opened + timedelta(days=1)),
                          initiated_by="staff", note=tokens())  # fmt: skip
    correct_contact(
        contact, by=by, kind="in person", occurred_at=at(opened + timedelta(days=1)), initiated_by="staff",
        duration_minutes=30, topics=[], note=tokens(), interpreter_used=None, services=[],
    )  # fmt: skip
    log_contact(case, by=by, kind="text", occurred_at=at(opened + timedelta(days=2)), initiated_by="survivor",
                note=tokens())  # fmt: skip
    record_stage(case, by=by, stage="contemplation", observed_on=opened + timedelta(days=2), note=tokens())
    document = add_document(case, by=by, kind="identification", title=tokens(), upload=upload(tokens, "a document"))
    earlier_file = _replace_file(document, tokens, by=by)
    gone = add_document(case, by=by, kind="letter", title=tokens(), upload=upload(tokens, "a deleted document"))
    deleted_file = gone.file.name
    delete_document(gone, by=by, reason=tokens())
    record_release(case, by=by, organization=None, recipient=tokens(), information=["health"], purpose=tokens(),
                   signed_on=today, expires_on=today + timedelta(days=90))  # fmt: skip
    make_referral(case, by=by, direction="out", organization=organization, service_type="immigration legal aid",
                  made_on=today, note=tokens(), share_identifying=False)  # fmt: skip
    add_family_member(case, by=by, name=tokens(), relationship=tokens(), notes=tokens())
    member_removed = add_family_member(case, by=by, name=tokens(), relation="sibling", notes=tokens())
    record_mandated_report(case, by=by, kind="mdt", made_at=timezone.now(), made_by=tokens(), reference=tokens(),
                           notes=tokens())  # fmt: skip
    context = {"location": tokens(), "narrative": tokens(), "age_at_first_exploitation": 15, "residence": "runaway"}
    record_screening(case, by=by, answers=SEX_TRAFFICKING, context=context, sensitive_allowed=True)
    plans = [_safety_plan(case, by, tokens) for _version in (1, 2)]
    goal = goal_services.set_goal(case, by=by, in_own_words=tokens(), domain="housing", staff_summary=tokens())
    goal_services.add_step(goal, by=by, description=tokens(), owner="partner", partner=tokens())
    goal_services.add_goal_note(goal, by=by, written_on=today, note=tokens())
    month = budget_services.start_budget_month(case, by=by, month=today, note=tokens())
    line = budget_services.LineInput(id=None, kind="income", category="wages", label=tokens(), amount=Decimal(100))
    budget_services.save_budget_lines(month, by=by, lines=[line], note=tokens())
    ask_to_move(start_plan(case, by), by, note=tokens(), view=tokens())
    paid = _paid(case, staff, fund, tokens)
    denied = ask_money(case, by, fund, payee_name=tokens(), payee_details=tokens(), purpose=tokens())
    request_services.deny(denied, by=staff.supervisor, reason=tokens())
    give_kit(case, by)
    shelter_stay(case, by)
    Handoff.objects.create(case=case, from_team=case.team, to_team=case.team, from_specialists=tokens(),
                           to_specialists=tokens(), note=tokens(), by=staff.supervisor)  # fmt: skip
    open_in_emergency(case, by=staff.outsider, reason=tokens())
    intake_request = IntakeRequest.objects.create(
        team=case.team, source="outreach", where=tokens(), met_on=opened, passed_by=by, name=tokens(),
        phone=tokens(), how_to_reach=tokens(), in_their_words=tokens(), status="started", case=case,
    )  # fmt: skip
    now = timezone.now()
    Hold.objects.create(case=case, reason=tokens(), placed_by=staff.supervisor, lifted_by=staff.supervisor,
                        lifted_at=now, lift_note=tokens())  # fmt: skip
    return_closure(ask_to_close(case, by=by, reason="other", reason_note=tokens(), note=tokens()),
                   by=staff.supervisor, note=tokens())  # fmt: skip
    made = Made(
        case=case,
        document=document,
        earlier_file=earlier_file,
        deleted_file=deleted_file,
        receipt=paid.payment.receipt,
        paid=paid,
        plan_removed=plans[0].pk,
        member_removed=member_removed,
        intake_request=intake_request,
        face_sheet=_report(FACE_SHEET, case.pk, by, tokens),
        team_report=_report(TEAM_KIND, case.team_id, staff.supervisor, tokens),
    )
    _copies(made, staff, tokens)
    return made


def _replace_file(document: Document, tokens: Tokens, *, by: User) -> str:
    """Give ``document`` a new file, as a correction would, so that only its history names the first."""
    earlier = document.file.name
    document.file.name = default_storage.save(f"documents/{tokens('a file name')}", ContentFile(tokens.pdf("a file")))
    writes.save(document, by=by, reason=tokens("a change reason"), fields=["file"])
    return earlier


def _safety_plan(case: Case, by: User, tokens: Tokens):
    risk = {"source": "trafficker", "kind": "physical harm", "methods": [], "description": tokens(),
            "strategies": tokens()}  # fmt: skip
    return save_safety_plan(
        case, by=by, risks=[risk], people=[{"name": tokens(), "relationship": tokens(), "phone": tokens()}],
        places=[{"place": tokens(), "note": tokens()}], review_on=timezone.localdate() + timedelta(days=30),
        code_word=tokens(), documents_kept=tokens(), staff_note=tokens(),
    )  # fmt: skip


def _paid(case: Case, staff: Staff, fund, tokens: Tokens):
    asked = ask_money(case, staff.specialist, fund, payee_name=tokens(), payee_details=tokens(), purpose=tokens())
    request_services.approve(asked, by=staff.supervisor)
    pay_money(asked, staff.finance, receipt=upload(tokens, "a receipt"))
    asked.refresh_from_db()
    return asked


def _report(kind: str, target_id: int, by: User, tokens: Tokens) -> ReportJob:
    """A finished report of ``kind`` whose file and name carry tokens, as a worker leaves it."""
    job = ReportJob(kind=kind, target_id=target_id, requested_by=by)
    job.file.save(f"{job.public_id}.pdf", ContentFile(tokens.pdf(f"a report file ({kind})")), save=False)
    job.filename = f"{tokens(f'a report file name ({kind})')}.pdf"
    job.status, job.progress, job.finished = ReportJob.Status.DONE, 100, timezone.now()
    job.save()
    return job


def _copies(made: Made, staff: Staff, tokens: Tokens) -> None:
    """Words copied where the registry's rows are not: a notification carrying where a person was
    met, and access-log entries with reasons about the case and its rows."""
    request = made.intake_request
    notify([
        Notice(recipient_id=staff.supervisor.pk, kind=Notification.Kind.INTAKE_REQUEST_WAITING,
               data={"team": request.team.name, "where": request.where},
               url=reverse("cases:intake_request", args=[request.pk]), dedupe_key=f"intake-waiting:{request.pk}:"),
    ])  # fmt: skip
    for target in (made.case, made.document, request):
        AccessLogEntry.objects.create(
            user=staff.supervisor, action=AccessLogEntry.Action.EMERGENCY,
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk,
            target_label=made.case.survivor.client_code, reason=tokens("an access-log reason"),
        )  # fmt: skip


# Planting ---------------------------------------------------------------------------------------


def case_rows(model, path: str, case: Case) -> models.QuerySet:
    """The rows of ``model`` that belong to ``case`` by the registry's lookup, read plainly (not the
    purge's way, so that the purge is checked against something else)."""
    return model._base_manager.filter(**{path: case.pk})


def plant(survivor: Survivor, tokens: Tokens) -> None:
    """A token (a date, a town of its own) in every identifying and narrative field of the survivor,
    of every row of their cases and of those rows' history rows."""
    town = Town.objects.create(name=f"Town of {survivor.pk}")
    _plant(Survivor, Survivor.objects.filter(pk=survivor.pk), tokens, town=town, skip=("client_code",))
    for case in survivor.cases.all():
        for model, path in privacy.case_models():
            _plant(model, case_rows(model, path, case), tokens, town=town)


def _plant(model, rows: models.QuerySet, tokens: Tokens, *, town: Town, skip=()) -> None:
    ids = list(rows.values_list("pk", flat=True))
    tables = [(model, model._base_manager.filter(pk__in=ids))]
    if history := history_model(model):
        tables.append((history, history._base_manager.filter(id__in=ids)))
    for table, selected in tables:
        label = privacy.label(table)
        names = [*privacy.identifying_fields(table), *privacy.narrative_fields(table)]
        fields = [table._meta.get_field(name) for name in names if name not in skip]
        for pk in selected.order_by("pk").values_list("pk", flat=True):
            values = {each.attname: _value(each, f"{label}.{each.name} #{pk}", tokens, town) for each in fields}
            names = {each.attname: each.name for each in fields}
            planted = _update(table._base_manager.filter(pk=pk), values, tokens, label)
            tokens.planted |= {f"{label}.{names[attname]}" for attname in planted}


def _value(each: models.Field, origin: str, tokens: Tokens, town: Town):
    if isinstance(each, models.ForeignKey) and each.related_model is Town:
        return town.pk
    if isinstance(each, models.DateField):
        return tokens.birthday
    if isinstance(each, models.JSONField | ArrayField):
        return [tokens(origin)]
    return tokens(origin)


def _update(row: models.QuerySet, values: dict, tokens: Tokens, label: str) -> list[str]:
    """Write ``values`` in ``row``; return the columns written."""
    try:
        with transaction.atomic():
            row.update(**values)
        return list(values)
    except IntegrityError:
        pass
    # A check constraint ties a field to another (a deletion reason only once deleted): the
    # others are planted, and that one is left as the constraint keeps it: empty.
    written = []
    for name, value in values.items():
        try:
            with transaction.atomic():
                row.update(**{name: value})
            written.append(name)
        except IntegrityError:
            assert row.values_list(name, flat=True).get() in ("", None, [], {}), f"{label}.{name}"
            tokens.refused.add(f"{label}.{name}")
    return written


def remove_planted(made: Made, *, by: User) -> None:
    """Delete rows whose history keeps their planted words: a family member, and the first
    version of the safety plan with its risks, people and places (found through the plan's history)."""
    remove_family_member(made.member_removed, by=by)
    plan = made.case.safety_plans.get(pk=made.plan_removed)
    plan._history_user = by
    plan.delete()
