"""Template filters for a case's overview: the answers to the questions funders ask."""

from django import template
from django.utils.text import capfirst

from cases.models import Survivor

register = template.Library()


@register.filter
def funder_answers(survivor: Survivor, sensitive_allowed: bool) -> list[tuple[str, str]]:
    """The funders' questions the survivor answered, as (question, answer) in the reader's language;
    the sensitive ones only for a reader allowed to see them."""
    return [
        (capfirst(Survivor._meta.get_field(name).verbose_name), getattr(survivor, f"get_{name}_display")())
        for name in Survivor.CLASSIFICATION_FIELDS
        if getattr(survivor, name) and (sensitive_allowed or name not in Survivor.SENSITIVE_FIELDS)
    ]
