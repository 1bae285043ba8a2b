"""How survey results are printed: averages with the scale's words, p-values, significance marks."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from training import stats

register = template.Library()


def rounded(value: float, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals (``number_format`` alone cuts a float off: 4.17 as 4.1)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@register.filter
def average(value: float | None, places: int = 1) -> str:
    """An average to one decimal (or ``places``), as the state's report prints it; a dash when there is none."""
    return "—" if value is None else number_format(rounded(value, places), decimal_pos=places)


@register.filter
def p_value(value: float | None) -> str:
    """To three decimals, or more where three would round it onto a threshold it is under (0.0496, not 0.050)."""
    if value is None:
        return _("not tested")
    if value < 0.001:
        return "p < " + number_format(0.001, decimal_pos=3)
    places = 3
    while places < 6 and any(
        value < threshold <= float(rounded(value, places)) for threshold in (stats.SIGNIFICANT, stats.VERY_SIGNIFICANT)
    ):
        places += 1
    return "p = " + number_format(rounded(value, places), decimal_pos=places)


@register.filter
def significance(comparison: stats.Comparison) -> str:
    """A comparison's p-value, or why it was not tested: too few answers, or no spread at all."""
    if comparison.p is not None:
        return p_value(comparison.p)
    if comparison.too_few:
        return _("too few to test")
    # Everyone answered alike on each side, yet the averages differ: nothing to weigh it against.
    return _("answers all alike: not tested")


@register.filter
def words(scale, value: float | None) -> str:
    """The scale's words nearest an average, e.g. "Knowledgeable" for 3.4 on the knowledge scale."""
    return scale.words(value)


@register.filter
def signed(value: float | None, places: int = 1) -> str:
    """A change with its sign, to one decimal (or ``places``)."""
    if value is None:
        return "—"
    shown = rounded(value, places)
    text = number_format(abs(shown), decimal_pos=places)
    return f"+{text}" if shown > 0 else (f"\u2212{text}" if shown < 0 else text)
