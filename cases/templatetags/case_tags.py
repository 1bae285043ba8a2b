"""Template tags for a case's overview: the answers to the questions funders ask."""

from django import template
from django.utils.text import capfirst

from cases.models import Survivor

register = template.Library()


@register.simple_tag
def funder_answers(survivor: Survivor, *, sensitive_allowed: bool, shown) -> list[tuple[str, str]]:
    """The funders' questions the survivor answered, as (question, answer) in the reader's language;
    the sensitive ones only for a reader allowed to see them, and none the director has hidden
    (``shown``: whether each of the survivor's fields is shown, from ``cases.fields``)."""
    return [
        (capfirst(Survivor._meta.get_field(name).verbose_name), getattr(survivor, f"get_{name}_display")())
        for name in Survivor.CLASSIFICATION_FIELDS
        if getattr(survivor, name) and shown[name] and (sensitive_allowed or name not in Survivor.SENSITIVE_FIELDS)
    ]
