"""The program director's intake field settings: hiding a field or making it optional, and
clearing what a hidden field still holds.

Only the director's role holds ``cases.manage_intake_fields``. A field a rule needs
(``cases.fields``) is always asked as built. Hiding a field stores nothing in it from then on
(``services.intake`` drops it from every save) and leaves what was stored before, until a purge
or ``clear_stored_values``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from bloom.accounts.models import User
from bloom.said import Said, listed, values_of
from cases import fields
from cases.models import IntakeField
from cases.services.common import save as _save

PERMISSION = "cases.manage_intake_fields"
State = IntakeField.State
# The director's reason for clearing, kept whole in the setting's history row after its prefix.
REASON_LENGTH = 70


class FieldSettingError(ValidationError):
    """A change to how an intake field is asked that the rules do not allow; keyed by the form field."""


def may_manage_intake_fields(user: User) -> bool:
    """Whether ``user`` may see the intake fields' settings and change them."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def field_named(name: str) -> fields.Field:
    """The catalogue's field called ``name``; ``FieldSettingError`` when there is none."""
    field = fields.catalogue().get(name)
    if field is None:
        raise FieldSettingError(_("There is no intake field by that name that can be changed."))
    return field


def refusal(field: fields.Field, state: str) -> str | None:
    """Why ``field`` cannot be asked as ``state``, in a sentence; None when it can.

    A field a rule needs stays as built, and naming the rules says why; making a field optional
    means something only for a field the forms require.
    """
    if state not in State.values:
        return _("Choose how the field is asked from the list.")
    if state != State.SHOWN and field.needed_by:
        return _("%(field)s cannot be hidden or made optional: %(rules)s need it.") % {
            "field": field.label,
            "rules": listed(field.needed_by),
        }
    if state == State.OPTIONAL and not field.required:
        return _("%(field)s is already optional as it is built: choose to show it or hide it.") % {"field": field.label}
    return None


@transaction.atomic
def set_state(name: str, state: str, *, by: User) -> IntakeField:
    """Ask the intake field ``name`` as built, as optional, or not at all (hidden).

    Side effect: a history row on the setting (none when nothing changes). Raises
    ``FieldSettingError`` for a field not in the catalogue, a state not in the list, hiding or
    making optional a field a rule needs (naming the rule), or making optional a field that
    already is; ``PermissionDenied`` for someone without the permission.
    """
    if not may_manage_intake_fields(by):
        raise PermissionDenied
    field = field_named(name)
    if (problem := refusal(field, state)) is not None:
        raise FieldSettingError({"state": problem})
    row = IntakeField.objects.select_for_update().filter(name=name).first()
    if row is None:
        if state == State.SHOWN:
            return IntakeField(name=name, state=state)  # as built already: nothing to write
        try:
            with transaction.atomic():
                row = IntakeField(name=name, state=state)
                _save(row, by=by, reason=REASONS[state])
                return row
        except IntegrityError:
            # Another director's first setting of this field came in between: change theirs.
            row = IntakeField.objects.select_for_update().get(name=name)
    if row.state != state:
        row.state = state
        _save(row, by=by, reason=REASONS[state])
    return row


REASONS = {
    State.SHOWN: Said("field.asked"),
    State.OPTIONAL: Said("field.optional"),
    State.HIDDEN: Said("field.hidden"),
}


def stored_counts(names) -> dict[str, int]:
    """How many rows hold a value in each of the fields ``names``: one query per model, whatever their number."""
    by_model: dict[type, list[fields.Field]] = {}
    for name in names:
        field = fields.catalogue()[name]
        by_model.setdefault(field.model, []).append(field)
    counts = {}
    for model, asked in by_model.items():
        totals = model.objects.aggregate(**{f"n_{f.attribute}": Count("pk", filter=f.holds_value()) for f in asked})
        counts.update({f.name: totals[f"n_{f.attribute}"] for f in asked})
    return counts


@transaction.atomic
def clear_stored_values(name: str, *, by: User, reason: str) -> int:
    """Blank the hidden field ``name`` in every row that holds a value; return how many rows changed.

    Side effects: each changed row gets a history row by ``by`` naming the field and the reason
    (written together: a fixed number of queries whatever the number of survivors); the
    setting gets one with the count and the whole reason. The field is blanked in the earlier
    history rows too (of every row, whatever it holds now). Raises ``FieldSettingError`` for a field not in the
    catalogue or not hidden, or a reason missing or too long; ``PermissionDenied`` for someone
    without the permission.
    """
    if not may_manage_intake_fields(by):
        raise PermissionDenied
    field = field_named(name)
    row = IntakeField.objects.select_for_update().filter(name=name).first()
    if row is None or row.state != State.HIDDEN:
        raise FieldSettingError(
            _("Only a hidden field's stored values can be cleared. Hide %(field)s first.") % {"field": field.label}
        )
    reason = (reason or "").strip()
    if not reason:
        raise FieldSettingError({"reason": _("Write why the stored values are cleared: it is kept in the history.")})
    if len(reason) > REASON_LENGTH:
        raise FieldSettingError(
            {"reason": _("Keep the reason to %(most)s characters, so that it is kept whole in the history.")
             % {"most": REASON_LENGTH}}
        )  # fmt: skip
    holding = list(field.model.objects.select_for_update().filter(field.holds_value()).order_by("pk"))
    # Cleared means gone from the history too: an earlier history row would still show it.
    field.model.history.filter(field.holds_value()).update(**field.blanks())
    if holding:
        blanks = field.blanks()
        field.model.objects.filter(pk__in=[each.pk for each in holding]).update(**blanks)
        for each in holding:
            for column, blank in blanks.items():
                setattr(each, column, blank)
        field.model.history.bulk_history_create(
            holding,
            update=True,
            default_user=by,
            default_change_reason=str(Said("field.cleared", fields=[field.attribute], why=reason)),
        )
    _save(row, by=by, reason=Said(CLEARED, count=len(holding), why=reason))
    return len(holding)


# The code of a setting's history row that records a clearing; read back by ``clearing_in``.
CLEARED = "field.cleared_in"


def clearing_in(change_reason: str | None) -> tuple[int, str] | None:
    """(how many records, the director's reason as typed) when a setting's history row records a clearing, else None."""
    found = values_of(change_reason)
    if found is None or found[0] != CLEARED:
        return None
    return found[1]["count"], found[1]["why"]
