import re

from django import template

register = template.Library()

NORTH_AMERICAN_DIGITS = 10


@register.filter
def dial(number: str) -> str:
    """The number as a phone can dial it: ``(800) 298-7233`` becomes ``+18002987233``.

    Numbers are written for people (dashes, brackets, a leading 1 or +1); a short code
    such as a text line (233733) is left as its digits.
    """
    digits = re.sub(r"\D", "", number)
    if len(digits) == NORTH_AMERICAN_DIGITS:
        return f"+1{digits}"
    if len(digits) == NORTH_AMERICAN_DIGITS + 1 and digits.startswith("1"):
        return f"+{digits}"
    if number.strip().startswith("+"):
        return f"+{digits}"
    return digits
