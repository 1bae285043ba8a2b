"""The services that money, help in kind and housing stays imply, as rules for ``cases.delivered``.

Registered from ``AssistanceConfig.ready``: ``cases`` offers the registry and never imports
assistance. Each rule reads the records as they are when a report counts them, so a corrected
payment date or a shortened stay moves its event with it.

Long-term housing (renting, living with family, going home) implies no service event: it is
where the survivor lives, not a service the program gives. Helping to find it is relocation
assistance, which a specialist ticks on the contact where it happened.
"""

from datetime import date

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from assistance.models import HousingPlacement, InKindItem, Payment
from cases import catalogue
from cases.delivered import Rule, stays


def _payments(start: date, end: date) -> QuerySet:
    return Payment.objects.filter(paid_on__range=(start, end)).annotate(case_id=F("request__case_id"), day=F("paid_on"))


def _items(start: date, end: date) -> QuerySet:
    return InKindItem.objects.filter(given_on__range=(start, end)).annotate(day=F("given_on"))


def _stays_of(kind: str):
    def events(start: date, end: date) -> QuerySet:
        return stays(HousingPlacement.objects.filter(kind=kind), start, end)

    return events


RULES = (
    Rule(
        "assistance payment",
        catalogue.EMERGENCY_FINANCIAL,
        _("A payment recorded on a request for money for the case, on the day it was paid."),
        _payments,
    ),
    Rule(
        "help in kind",
        catalogue.BASIC_NECESSITIES,
        _("Help given in kind (food, clothing, a hygiene kit and the like), on the day it was given."),
        _items,
    ),
    Rule(
        "emergency shelter stay",
        catalogue.EMERGENCY_SHELTER,
        _(
            "A stay in emergency shelter, once in each period it covers: on the day it began, or on the "
            "period's first day for a stay begun earlier. A stay not yet ended runs to the period's end."
        ),
        _stays_of(HousingPlacement.Kind.EMERGENCY),
    ),
    Rule(
        "transitional housing stay",
        catalogue.TRANSITIONAL_HOUSING,
        _(
            "A stay in transitional housing, once in each period it covers: on the day it began, or on the "
            "period's first day for a stay begun earlier. A stay not yet ended runs to the period's end."
        ),
        _stays_of(HousingPlacement.Kind.TRANSITIONAL),
    ),
)
