"""What a purge takes, and from every copy Bloom keeps of it.

``purge_case`` takes one level (``retention.models.Level``) of one case, ``purge_survivor`` the
survivor's own identity once every case of theirs has gone, and ``purge_audit_records`` what a
grant audit kept after the award's retention ends. ``retention.schedule`` decides when; these
decide what, from the privacy registry (``bloom.privacy``): each app says which fields of its
records identify someone, hold people's words or hold files, and the lookup from each record to
its case, so that a new field or a new record is purged without a line here.

Every copy means:

- **the rows** of the case, blanked field by field: "" for text (a dash where a check
  constraint wants text, since an empty value there would break it), the default for JSON,
  nothing for a date or a link. The rows stay, holding what reports count;
- **their history rows**, found hop by hop through the history tables, so that rows deleted
  since (a plan's risks whose plan is gone) are reached too; the history's change reasons at
  every level, since services sometimes put people's words there;
- **the files**: uploaded documents (earlier uploads that only a history row still names too)
  and the generated reports about the case, or about a team it was on;
- **notifications** about the case (a whole purge): the only one whose data copies a purged
  field is the request for help's ``where``, which is identifying, so it goes with the rest;
- **the access log's reasons** about the case and its rows, through the one sanctioned
  function in ``bloom.audit.services``;
- **search and duplicate checks** read the survivor's row alone (``phone_digits`` included),
  so blanking it takes the person out of both.

Pages with survivor data are sent ``no-store`` and the server keeps no cache of them; sessions
hold no survivor data (only when the session started). What is kept for a grant audit is
``assistance.retention``'s to say.

Every function here runs inside the caller's transaction, with the case's row locked. Files are
deleted as the rows are blanked, not after the commit: a purge rolled back then leaves rows
naming files already gone, which only a purge that was taking them could do and the next run
finishes; the other order could leave a file that no row names and nothing would ever find.
"""

from collections.abc import Iterable
from datetime import date
from functools import cache

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from assistance import retention as audit_rules
from assistance.models import AssistanceRequest
from bloom import privacy
from bloom.accounts.models import User
from bloom.audit.services import blank_reasons_for_purge
from bloom.notifications.models import Notification
from bloom.reports.models import ReportJob
from bloom.said import Said
from bloom.writes import save
from cases.models import Case, IntakeRequest, Survivor
from cases.printouts import FACE_SHEET, SAFETY_PLAN
from cases.service_report.printing import CASE_KIND, TEAM_KIND
from cases.survivor_copy.printing import KIND as SURVIVOR_COPY
from phases.printouts import CASE_PLAN
from retention.models import Hold, Level, Tombstone

Kind = privacy.Kind

# What each level takes. The whole purge takes everything the partial ones take.
LEVEL_KINDS = {
    Level.NARRATIVES: frozenset({Kind.NARRATIVE}),
    Level.DOCUMENTS: frozenset({Kind.FILE}),
    Level.IDENTITY: frozenset({Kind.IDENTIFYING, Kind.NARRATIVE, Kind.FILE}),
}

# Left in a text field that a check constraint keeps from being empty (a hold's reason, a
# request's purpose): it says that something was there, in no language, and names no one.
PURGED = "\u2014"

# The survivor's client code stays: it names no one (it is random) and is how the tombstone,
# the access log and the purge log still point at the record.
KEPT_SURVIVOR_FIELDS = ("client_code",)

# Generated reports about one case (their ``target_id`` is the case), and about a team (a
# team's service report prints every case of the team). Every other kind is aggregate, over
# every case or none (a funder's report, a training evaluation); a test fails on a kind that
# is none of these.
CASE_REPORTS = (FACE_SHEET, SAFETY_PLAN, CASE_PLAN, CASE_KIND, SURVIVOR_COPY)
TEAM_REPORTS = (TEAM_KIND,)

HISTORY_REASON = "history_change_reason"

COUNTS = ("rows", "history rows", "files", "notifications", "report files", "access log entries")


class PurgeRefused(Exception):
    """A purge that must not happen: the case is on hold."""


def purge_case(case: Case, level: str, *, today: date, by: User | None = None) -> dict[str, int]:
    """Take ``level`` of ``case`` from every copy Bloom keeps; return how much was taken.

    NARRATIVES blanks the narrative fields of the case's records, DOCUMENTS deletes their files,
    IDENTITY does both and blanks what identifies anyone (the survivor's own row excepted:
    ``purge_survivor``). What a grant audit needs stays while ``audit_kept_until(case)`` is after
    ``today``. Idempotent: a second call takes nothing and changes nothing.
    Refused (``PurgeRefused``) for a case on hold.
    Side effects: the case's tombstone records the level and the day (with a history row);
    the generated reports about the case lose their files; the access log's reasons about it
    are blanked; a whole purge deletes the notifications about it.
    """
    if Hold.objects.filter(case=case, lifted_at__isnull=True).exists():
        raise PurgeRefused(_("This case is on hold: nothing of it may be purged until the hold is lifted."))
    kinds = LEVEL_KINDS[level]
    counts = dict.fromkeys(COUNTS, 0)
    kept_until = audit_kept_until(case)
    kept = audit_rules.kept_rows(case) if kept_until is not None and kept_until > today else {}
    for model, path in privacy.case_models():
        _take(
            model, _rows_of(model, path, case.pk), _fields(model, kinds), kept.get(model), counts,
            reasons=Kind.NARRATIVE in kinds,
        )  # fmt: skip
    counts["report files"] += _delete_reports(case)
    if Kind.NARRATIVE in kinds:
        counts["access log entries"] += blank_reasons_for_purge(_case_targets(case))
    if level == Level.IDENTITY:
        counts["notifications"] += _delete_notifications(case)
    _record(case, level, today=today, kept_until=kept_until if kept else None, by=by)
    return counts


def purge_survivor(survivor: Survivor, *, today: date, by: User | None = None) -> dict[str, int]:
    """Take the survivor's own identifying and narrative fields from their row and its history
    (the search and the duplicate check read nothing else); return how much was taken.

    First keeps each case's age at intake (``Case.intake_age``), from the birth date or the
    estimated age, so that the reports count the same ages after the birth date is gone. Called
    once every case of the survivor is due (or for an authorised deletion). Idempotent.
    Refused (``PurgeRefused``) while any case of theirs is on hold.
    Side effects: the notifications naming their client code are deleted; the access log's
    reasons about their record are blanked.
    """
    if Hold.objects.filter(case__survivor=survivor, lifted_at__isnull=True).exists():
        raise PurgeRefused(_("A case of this survivor is on hold: their record may not be purged until it is lifted."))
    counts = dict.fromkeys(COUNTS, 0)
    _keep_intake_ages(survivor, by=by)
    fields = [name for name in _fields(Survivor, LEVEL_KINDS[Level.IDENTITY]) if name not in KEPT_SURVIVOR_FIELDS]
    rows = _rows_of(Survivor, "pk", survivor.pk)  # by ``id``, which their history rows carry too
    _take(Survivor, rows, fields, None, counts)
    deleted, _by_model = Notification.objects.filter(data__code=survivor.client_code).delete()
    counts["notifications"] += deleted
    counts["access log entries"] += blank_reasons_for_purge(_targets(Survivor, rows))
    return counts


def purge_closed_requests(request_ids: list[int]) -> dict[str, int]:
    """Take the words of requests for help that were closed without an intake: what the person
    was called, how to reach them, where they were met, what they said, and why no intake. No
    case holds them, so no tombstone does: the request's row stays, with its dates, source and
    needs, as the outreach figures count them. The caller locks the rows and has checked they
    are due. Returns how much was taken."""
    counts = dict.fromkeys(COUNTS, 0)
    if not request_ids:
        return counts
    rows = Q(id__in=request_ids)  # ``id``, which their history rows carry too
    _take(IntakeRequest, rows, _fields(IntakeRequest, LEVEL_KINDS[Level.IDENTITY]), None, counts)
    about = Q()
    for pk in request_ids:
        about |= Q(url__startswith=reverse("cases:intake_request", args=[pk]))
    counts["notifications"], _by_model = Notification.objects.filter(about).delete()
    counts["access log entries"] += blank_reasons_for_purge(_targets(IntakeRequest, rows))
    return counts


def purge_audit_records(case: Case, *, today: date, by: User | None = None) -> dict[str, int]:
    """Take what was kept of ``case`` for a grant audit, at the levels already purged; return how much.

    Nothing is taken while an award that paid for the case keeps its records after ``today``
    (its final report moved later since the purge, say): the tombstone then says until when.
    Idempotent. Side effect: the tombstone records the day (with a history row).
    """
    counts = dict.fromkeys(COUNTS, 0)
    tombstone = Tombstone.objects.filter(case=case).first()
    if tombstone is None or tombstone.audit_kept_until is None:
        return counts  # nothing was kept
    kept_until = audit_kept_until(case)
    if kept_until is not None and kept_until > today:
        if tombstone.audit_kept_until != kept_until:
            tombstone.audit_kept_until = kept_until
            save(tombstone, by=by, reason=Said("tombstone.audit_kept"))
        return counts
    kinds = frozenset().union(*(LEVEL_KINDS[level] for level in Level if tombstone.purged(level)))
    for model, (condition, kept_fields) in audit_rules.kept_rows(case).items():
        fields = [name for name in kept_fields if privacy.kind_of(model, name) in kinds]
        files = [name for name in fields if privacy.kind_of(model, name) == Kind.FILE]
        # Their history rows' copies went with the purge that kept the live rows.
        counts["files"] += _delete_files(model, condition, files, None, with_history=False)
        _take_live(model, condition, fields, None, counts)
    if tombstone.audit_purged_on is None:
        tombstone.audit_purged_on = today
        save(tombstone, by=by, reason=Said("tombstone.audit_purged"))
    return counts


def audit_kept_until(case: Case) -> date | None:
    """The day the last of the case's audit records may go: the latest retention end of the
    awards that paid something for the case; None when there is nothing to keep."""
    return audit_rules.kept_until(case)


# Rows and history rows -----------------------------------------------------------------------


def _fields(model: type[models.Model], kinds: frozenset[str]) -> list[str]:
    """The fields of ``model`` of ``kinds``, as its app registered them."""
    of_kind = {Kind.IDENTIFYING: privacy.identifying_fields, Kind.NARRATIVE: privacy.narrative_fields,
               Kind.FILE: privacy.file_fields}  # fmt: skip
    return [name for kind in sorted(kinds) for name in of_kind[kind](model)]


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The django-simple-history table of ``model``, if it has one."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


def _rows_of(model: type[models.Model], path: str, case_id: int) -> Q:
    """A condition picking the rows of ``model`` that belong to the case, by ``path`` (the
    registry's lookup), which picks its history rows alike.

    Followed hop by hop, each hop through the parent's table and its history table: a risk
    whose plan was deleted is still the case's, by the plan's history rows. Subqueries only,
    so the condition costs no query of its own.
    """
    if path == "pk":
        return Q(**{model._meta.pk.attname: case_id})
    name, _sep, rest = path.partition("__")
    field = model._meta.get_field(name)
    if not rest:
        return Q(**{field.attname: case_id})
    parent = field.related_model
    parents = _rows_of(parent, rest, case_id)
    column = parent._meta.pk.attname
    condition = Q(**{f"{field.attname}__in": parent._base_manager.filter(parents).values(column)})
    if history := history_model(parent):
        condition |= Q(**{f"{field.attname}__in": history._base_manager.filter(parents).values(column)})
    return condition


def _in_history(model, rows: Q) -> Q:
    """The history rows of what ``rows`` picks: those the same condition picks, and every history
    row of a live row it picks, whatever that row held then (a request for help's first row,
    written before it had a case, names no case). A subquery, no query of its own."""
    column = model._meta.pk.attname
    return rows | Q(**{f"{column}__in": model._base_manager.filter(rows).values(column)})


def _take(
    model, rows: Q, fields: list[str], kept: tuple[Q, tuple[str, ...]] | None, counts: dict, *, reasons: bool = True
) -> None:
    """Blank ``fields`` of the rows (and history rows) ``rows`` picks, deleting their files; with
    ``kept`` (rows, fields), those fields of those live rows are left as they are. With
    ``reasons``, the history rows' change reasons too: they are narrative, and go with the
    narratives, not with the files alone."""
    files = [name for name in fields if privacy.kind_of(model, name) == Kind.FILE]
    if files:
        counts["files"] += _delete_files(model, rows, files, kept)
    _take_live(model, rows, fields, kept, counts)
    history = history_model(model)
    if history is not None:
        # Only the live row is kept for an audit: its history's copies go.
        values, holds = _blanks(model, [*fields, HISTORY_REASON] if reasons else fields)
        if not values:
            return
        counts["history rows"] += history._base_manager.filter(_in_history(model, rows)).filter(holds).update(**values)


def _take_live(model, rows: Q, fields: list[str], kept: tuple[Q, tuple[str, ...]] | None, counts: dict) -> None:
    """Blank ``fields`` of the live rows ``rows`` picks (files are the caller's), but for ``kept``."""
    if not fields:
        return
    keep = (kept[0], frozenset(kept[1])) if kept is not None else None
    values, holds = _blanks(model, fields, keep=keep)
    counts["rows"] += model._base_manager.filter(rows).filter(holds).update(**values)


def _blanks(model, fields: Iterable[str], *, keep: tuple[Q, frozenset] | None = None) -> tuple[dict, Q]:
    """The values that blank ``fields`` of ``model`` (a dict for ``update``), and the condition
    picking the rows where any of them still holds something, so that a second purge touches
    nothing. With ``keep`` (rows, fields), those fields of those rows keep their values."""
    values, holds = {}, Q()
    for name in fields:
        attname, value, holding = _blank(model, name)
        if keep is not None and name in keep[1]:
            blank = value if hasattr(value, "resolve_expression") else models.Value(value)
            value = models.Case(
                models.When(keep[0], then=models.F(attname)), default=blank, output_field=model._meta.get_field(name)
            )
            holding &= ~keep[0]
        values[attname] = value
        holds |= holding
    return values, holds


def _blank(model, name: str) -> tuple[str, object, Q]:
    """(column, blank value, condition: it still holds something) for one field of ``model``."""
    if name == HISTORY_REASON:
        return name, "", Q(**{f"{name}__gt": ""})
    return _field_blank(model, name)


@cache
def _field_blank(model, name: str) -> tuple[str, object, Q]:
    field = model._meta.get_field(name)
    label = f"{privacy.label(model)}.{name}"
    if field.many_to_many or field.unique or field.primary_key:
        raise ImproperlyConfigured(f"{label} cannot be blanked by a purge: give it a kind it can have.")
    attname = field.attname
    if isinstance(field, models.JSONField | ArrayField):
        default = field.get_default()
        return attname, default, ~Q(**{attname: default}) & Q(**{f"{attname}__isnull": False})
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        if name in _must_not_be_empty(model):
            value = models.Case(models.When(**{attname: ""}, then=models.Value("")), default=models.Value(PURGED))
            return attname, value, Q(**{f"{attname}__gt": ""}) & ~Q(**{attname: PURGED})
        return attname, "", Q(**{f"{attname}__gt": ""})
    if field.null:
        return attname, None, Q(**{f"{attname}__isnull": False})
    raise ImproperlyConfigured(f"{label} cannot be blanked by a purge: it can be neither empty nor null.")


@cache
def _must_not_be_empty(model) -> frozenset[str]:
    """The fields a check constraint of ``model`` compares with "": blanked, they keep a dash
    where they held something and stay empty where they were (either may be what it asks)."""
    names = set()

    def walk(condition: Q) -> None:
        for child in condition.children:
            if isinstance(child, Q):
                walk(child)
            elif isinstance(child, tuple) and child[1] == "":
                names.add(child[0].split("__")[0])

    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            walk(constraint.condition)
    return frozenset(names)


# Files ------------------------------------------------------------------------------------


def _delete_files(
    model, rows: Q, fields: list[str], kept: tuple[Q, tuple[str, ...]] | None, *, with_history: bool = True
) -> int:
    """Delete from storage every file that ``fields`` of the rows ``rows`` picks, or (``with_history``)
    of their history rows (an earlier upload), name; but the files of ``kept`` rows. Returns how
    many files were there to delete. One query per field, whatever the number of files."""
    history = history_model(model) if with_history else None
    deleted = 0
    for name in fields:
        field = model._meta.get_field(name)
        column = field.attname
        live = model._base_manager.filter(rows).filter(**{f"{column}__gt": ""})
        if history is not None:
            named = history._base_manager.filter(_in_history(model, rows)).filter(**{f"{column}__gt": ""})
        if kept is not None and name in kept[1]:
            kept_files = model._base_manager.filter(kept[0]).values(column)
            live = live.exclude(kept[0])
            if history is not None:
                named = named.exclude(**{f"{column}__in": kept_files})
        names = live.values_list(column, flat=True).order_by()
        if history is not None:
            names = names.union(named.values_list(column, flat=True).order_by()).order_by()
        deleted += _delete_stored(field.storage, set(names))
    return deleted


def _delete_stored(storage, names: Iterable[str]) -> int:
    deleted = 0
    for name in sorted(names):
        if storage.exists(name):
            storage.delete(name)
            deleted += 1
    return deleted


def _delete_reports(case: Case) -> int:
    """Delete the files of the reports generated about ``case``, or about a team it was ever on
    (a team's service report prints each of its cases), and the survivor's copies asked from any
    of their cases, and forget their names (a face sheet's
    carries the client code). They would expire anyway after ``BLOOM_REPORT_RETENTION``; a purge
    does not wait. Their parameters (a period, whom it was for) name no survivor and stay.
    Returns how many reports lost something."""
    teams = Case.history.filter(id=case.pk).values("team_id")
    # The survivor's copy is asked from one case and prints every enrollment of the survivor.
    siblings = Case.objects.filter(survivor_id=case.survivor_id).values("pk")
    jobs = ReportJob.objects.filter(
        Q(kind__in=CASE_REPORTS, target_id=case.pk)
        | Q(kind=SURVIVOR_COPY, target_id__in=siblings)
        | Q(kind__in=TEAM_REPORTS, target_id__in=teams)
        | Q(kind__in=TEAM_REPORTS, target_id=case.team_id)
    ).filter(Q(file__gt="") | Q(filename__gt=""))
    files = [name for name in jobs.values_list("file", flat=True) if name]
    _delete_stored(ReportJob._meta.get_field("file").storage, files)
    done = ReportJob.Status.DONE
    return jobs.update(
        file="",
        filename="",
        status=models.Case(
            models.When(status=done, then=models.Value(ReportJob.Status.EXPIRED)), default=models.F("status")
        ),
    )


# Notifications and the access log ----------------------------------------------------------------


def _delete_notifications(case: Case) -> int:
    """Delete the notifications about ``case``: those pointing into it (its pages, its requests
    for money, the request for help it started from), or naming its client code. Returns how many."""
    prefixes = [reverse("cases:detail", args=[case.pk])]
    prefixes += [
        reverse("assistance:request", args=[pk])
        for pk in AssistanceRequest.objects.filter(case=case).values_list("pk", flat=True)
    ]
    prefixes += [
        reverse("cases:intake_request", args=[pk])
        for pk in IntakeRequest.objects.filter(case=case).values_list("pk", flat=True)
    ]
    about = Q(data__code=case.survivor.client_code)
    for prefix in prefixes:
        about |= Q(url__startswith=prefix)
    deleted, _by_model = Notification.objects.filter(about).delete()
    return deleted


def _targets(model, rows: Q) -> list[tuple[type[models.Model], QuerySet]]:
    """(model, ids) of the rows ``rows`` picks, and of rows deleted since, for the access log."""
    column = model._meta.pk.attname
    targets = [(model, model._base_manager.filter(rows).values(column))]
    if history := history_model(model):
        targets.append((model, history._base_manager.filter(_in_history(model, rows)).values(column)))
    return targets


def _case_targets(case: Case) -> list[tuple[type[models.Model], QuerySet]]:
    """What an access-log entry about ``case`` may point at: the case, and any row of it."""
    return [
        target for model, path in privacy.case_models() for target in _targets(model, _rows_of(model, path, case.pk))
    ]


# The tombstone and the ages kept ------------------------------------------------------------------


def _record(case: Case, level: str, *, today: date, kept_until: date | None, by: User | None) -> None:
    """Write on the case's tombstone that ``level`` was purged ``today`` (a whole purge takes the
    partial ones too) and, with ``kept_until``, until when the audit's records stay. Saved with a
    history row only when something changed, so that a second purge writes none."""
    tombstone = Tombstone.objects.filter(case=case).first() or Tombstone(case=case)
    levels = [Level.NARRATIVES, Level.DOCUMENTS, Level.IDENTITY] if level == Level.IDENTITY else [level]
    changed = tombstone.pk is None
    for each in levels:
        if not tombstone.purged(each):
            setattr(tombstone, f"{each}_purged_on", today)
            changed = True
    if kept_until is not None and tombstone.audit_kept_until != kept_until:
        tombstone.audit_kept_until = kept_until
        changed = True
    if changed:
        save(tombstone, by=by, reason=Said("tombstone.purged", level=level))


def _keep_intake_ages(survivor: Survivor, *, by: User | None) -> None:
    """Write each case's age at intake, from the birth date or the estimated age, where it is not
    kept yet: the reports count it once the birth date is gone (``cases.tallies``). Two queries
    and a history row per case written."""
    cases = list(survivor.cases.filter(intake_age__isnull=True))
    for case in cases:
        age = survivor.age_on(case.opened_on)
        # An intake dated before a birth date corrected later gives no age: none is kept.
        case.intake_age = age if age is not None and age >= 0 else None
    cases = [case for case in cases if case.intake_age is not None]
    if cases:
        bulk_update_with_history(
            cases, Case, ["intake_age"], default_user=by, default_change_reason=str(Said("case.intake_age_kept"))
        )
