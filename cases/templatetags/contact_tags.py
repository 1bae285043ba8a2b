"""Template filters for contacts: how long it has been since the survivor was reached, topics,
and stages of change."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from cases.models import Contact, StageOfChange

register = template.Library()


@register.filter
def days_since(value: date | datetime | None) -> int | None:
    """Whole days from ``value`` (a date, or a time taken in local time) to today; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return (timezone.localdate() - value).days


@register.filter
def topic_labels(values: list[str]) -> list[str]:
    """A contact's topics in words, in the reader's language."""
    labels = dict(Contact.Topic.choices)
    return [str(labels.get(value, value)) for value in values or []]


@register.filter
def stage_label(value: str | None) -> str:
    """A stage of change in words, in the reader's language."""
    return str(dict(StageOfChange.choices).get(value, value or ""))
