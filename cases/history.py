"""The change history of a case, its survivor and its assignments, as one timeline.

Entries show translated field names with before and after values, and why the change was
made: the services store their change reasons as codes (``bloom.said``), put into words here in
the reader's language; a reason stored before codes, or typed by a person, is shown as it is.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bloom.said import Reading, render
from cases.models import Case, CaseAssignment, Race, Survivor

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Removed")}
# Never shown as a change: bookkeeping, not something a person decided.
SKIPPED_FIELDS = {"id", "created", "created_by", "survivor", "case", "phone_digits", *Survivor.NAME_KEYS.values()}
# Kept on the case from its contacts and left out of its history (``Case.history``).
SKIPPED_FIELDS |= {"last_contact_at", "contact_due_on", "next_contact_agreed"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime
    user: object
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)
    why: str = ""


def case_history(case: Case, *, sensitive: bool) -> list[Entry]:
    """Every history row of the case, its survivor and its assignments, newest first.

    Changes to the survivor's sensitive details are left out unless ``sensitive`` (the
    reader holds the sensitive-details permission). A fixed number of queries: each
    history table is read once, and diffs are computed between consecutive rows in memory
    rather than through ``prev_record``.
    """
    hidden = SKIPPED_FIELDS if sensitive else SKIPPED_FIELDS | set(Survivor.SENSITIVE_FIELDS)
    sources = [
        (_("Case"), Case.history.filter(id=case.pk)),
        (_("Survivor"), Survivor.history.filter(id=case.survivor_id)),
        (_("Assignment"), CaseAssignment.history.filter(case_id=case.pk).select_related("specialist")),
    ]
    entries = []
    names = _RelatedNames()
    for subject, history in sources:
        previous = {}
        # A reason names fields the reader may not see changed only if they may.
        reading = Reading(history.model, hidden=hidden)
        for row in history.select_related("history_user").order_by("id", "history_date", "history_id"):
            entry = Entry(
                at=row.history_date,
                user=row.history_user,
                subject=subject,
                action=ACTIONS[row.history_type],
                why=render(row.history_change_reason, reading=reading),
            )
            if subject == _("Assignment"):
                entry.changes.append(Change(field=str(_("specialist")), old="", new=str(row.specialist)))
            else:
                entry.changes = _diff(previous.get(row.id), row, names, hidden=hidden)
            before = previous.get(row.id)
            previous[row.id] = row
            # A change to nothing the reader may see is left out, not shown empty: even
            # its date would tell that something hidden changed.
            if row.history_type == "~" and not entry.changes and before is not None:
                continue
            entries.append(entry)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


class _RelatedNames:
    """Names of related rows (team, town) named by id in history, one query per model."""

    def __init__(self):
        self._cache = {}

    def get(self, model, pk) -> str:
        if model not in self._cache:
            self._cache[model] = {obj.pk: str(obj) for obj in model._default_manager.all()}
        return self._cache[model].get(pk, str(pk))


def _diff(before, after, names: _RelatedNames, *, hidden: set[str]) -> list[Change]:
    changes = []
    for model_field in after.instance_type._meta.concrete_fields:
        if model_field.name in hidden:
            continue
        old = getattr(before, model_field.attname, None) if before is not None else None
        new = getattr(after, model_field.attname)
        if old == new or (before is None and new in (None, "", [])):
            continue
        changes.append(
            Change(
                field=str(model_field.verbose_name),
                old=_display(model_field, old, names),
                new=_display(model_field, new, names),
            )
        )
    return changes


def _display(model_field, value, names: _RelatedNames) -> str:
    if value is None or value in ("", []):
        return ""
    if isinstance(value, bool | list):
        return _plain(value)
    if model_field.is_relation:
        return names.get(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _plain(value: bool | list) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    labels = dict(Race.choices)  # the one multi-select in a case's history
    return ", ".join(str(labels.get(item, item)) for item in value)
