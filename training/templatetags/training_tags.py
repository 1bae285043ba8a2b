"""How survey results are printed: averages with the scale's words, p-values, significance marks."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def average(value: float | None) -> str:
    """An average to one decimal, as the state's report prints it; a dash when there is none."""
    return "—" if value is None else number_format(value, decimal_pos=1)


@register.filter
def p_value(value: float | None) -> str:
    if value is None:
        return _("not tested")
    if value < 0.001:
        return "p < " + number_format(0.001, decimal_pos=3)
    return "p = " + number_format(value, decimal_pos=3)


@register.filter
def words(scale, value: float | None) -> str:
    """The scale's words nearest an average, e.g. "Knowledgeable" for 3.4 on the knowledge scale."""
    return scale.words(value)


@register.filter
def signed(value: float | None) -> str:
    if value is None:
        return "—"
    shown = number_format(abs(value), decimal_pos=1)
    return f"+{shown}" if value > 0 else (f"\u2212{shown}" if value < 0 else shown)
