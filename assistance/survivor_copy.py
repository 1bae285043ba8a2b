"""What a survivor's copy of their record prints of the money asked for them that was not paid.

Registered with ``cases.survivor_copy`` when that registry first looks for the apps' parts
(this module is found by name, as the privacy modules are). What was paid and the help given in
kind come from the service report's section (``assistance.service_report``), and housing stays
too (without the shelter's or landlord's name). Here: requests still waiting, approved and not
yet paid, denied or cancelled. The payee is never printed (often a person, and finance's
business); what a request was for and why it was denied are staff's words, printed only with
staff notes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.models import AssistanceRequest
from cases.survivor_copy import Part, Scope, by_case, register


@dataclass(frozen=True)
class CopiedRequest:
    asked_on: date
    category: str
    amount: Decimal
    status: str
    purpose: str  # empty unless staff notes are printed
    reason: str  # why it was denied or cancelled; empty unless staff notes are printed


def requests_not_paid(scope: Scope) -> dict[int, tuple[CopiedRequest, ...]]:
    """Each enrollment's requests for money that were not paid, oldest first: one query."""
    fields = ["case_id", "requested_at", "category", "amount", "status"]
    rows = (
        AssistanceRequest.objects.filter(case_id__in=scope.case_ids)
        .exclude(status=AssistanceRequest.Status.PAID)
        .only(*fields, *(["purpose", "close_reason"] if scope.staff_notes else []))
        .order_by("case_id", "requested_at", "pk")
    )
    return by_case(
        rows,
        lambda asked: CopiedRequest(
            asked_on=timezone.localdate(asked.requested_at),
            category=str(asked.get_category_display()),
            amount=asked.amount,
            status=str(asked.get_status_display()),
            purpose=asked.purpose if scope.staff_notes else "",
            reason=asked.close_reason if scope.staff_notes else "",
        ),
    )


register(
    Part(
        "money not paid",
        _("Money asked for you, not paid"),
        "assistance/survivor_copy/_requests.html",
        requests_not_paid,
        order=45,
    )
)
