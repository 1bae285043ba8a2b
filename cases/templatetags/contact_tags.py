"""Template filters for contacts: how long it has been since the survivor was reached, topics,
stages of change, and the services given on a contact."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from cases.models import Contact, StageOfChange

register = template.Library()

# Between the names of a contact's services when the database joins them into one text (a
# control character, which the catalogue refuses in a name).
SERVICE_SEPARATOR = "\x1f"


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


@register.filter
def service_list(value: str | None) -> list[str]:
    """The names of a contact's services, as the contact list's query joined them, in order."""
    return sorted(name for name in (value or "").split(SERVICE_SEPARATOR) if name)
