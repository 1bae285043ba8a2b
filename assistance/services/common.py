"""What the assistance services share: their refusal, and how money and dates are checked."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case

CENT = Decimal("0.01")
# Money, help and housing are recorded for a case from its intake while it is being served.
SERVED = (Case.Status.INTAKE, *Case.ACTIVE_STATUSES)


class AssistanceError(ValidationError):
    """A fund, request, payment, item or stay the rules do not allow; the message says why."""


def money_problem(value, *, largest: Decimal, zero_allowed: bool = False) -> str | None:
    """Why ``value`` is not an amount of money here (``None`` when it is).

    A ``Decimal`` with at most two decimals, above zero (or zero, if allowed), at most
    ``largest``. A float is refused: money is never a float.
    """
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int) or not Decimal(value).is_finite():
        return _("Enter an amount in dollars and cents.")
    value = Decimal(value)
    try:
        cents = value.quantize(CENT)
    except InvalidOperation:
        return _("That is more than %(largest)s; check the amount.") % {"largest": dollars(largest)}
    if cents != value:
        return _("Enter at most two decimals (cents).")
    if value < 0 or (value == 0 and not zero_allowed):
        return _("Enter an amount above zero.") if not zero_allowed else _("Enter zero or more.")
    if value > largest:
        return _("That is more than %(largest)s; check the amount.") % {"largest": dollars(largest)}
    return None


def too_long(limits: dict[str, int], **texts: str) -> dict[str, str]:
    """A message for each of ``texts`` longer, once trimmed, than its limit in ``limits``, by name.

    The forms stop a long text first; this holds for every other caller too, before the
    database would refuse it (or, for a text without a column limit, keep it).
    """
    return {
        name: _("Write at most %(most)s characters.") % {"most": limits[name]}
        for name, text in texts.items()
        if len(text.strip()) > limits[name]
    }


def max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def dollars(amount: Decimal) -> str:
    """``$1,234.50``: how amounts read in messages."""
    return f"${amount:,.2f}"


def day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def check_served(case: Case) -> None:
    if case.status not in SERVED:
        raise AssistanceError(
            _("This case is %(status)s; money, help and housing are recorded while a survivor is served.")
            % {"status": case.get_status_display().lower()}
        )
