"""What a grant audit needs kept of a case's money, and for how long.

Federal grant rules keep an award's records for three years after its final report, so the
payments an award made, the receipts behind them, and to whom and for what each was paid
outlive the program's own retention policy: a purge (``retention.purge``) leaves them, without
the survivor's identity, until the last award that paid something for the case ends its own
retention, and only then takes them (``retention.purge.purge_audit_records``).

Kept, for each request of the case that was paid (it has its ``Payment``):

- the request's payee (name and details) and what it was for;
- the ``Payment`` row itself (its fields are bookkeeping, nothing to purge);
- the receipt: the document's file and its description.

Everything else about the case goes on the program's schedule, the survivor's name and
birth date first of all.
"""

from datetime import date, timedelta

from django.db.models import Q

from assistance.models import AssistanceRequest, Fund, Payment
from bloom.times import add_months
from cases.models import Case, Document

# Records are kept this long after the award's final report (2 CFR 200.334: three years).
RETENTION_MONTHS = 36
# Without the final report's date, its deadline stands in: 120 days after the period ends
# (2 CFR 200.344).
FINAL_REPORT_DAYS = 120

# What is kept of a paid request, and of its receipt.
KEPT_REQUEST_FIELDS = ("payee_name", "payee_details", "purpose")
KEPT_RECEIPT_FIELDS = ("file", "title")


def final_report_day(fund: Fund) -> date:
    """The day the award's final report was submitted, or else its deadline."""
    return fund.final_report_on or fund.ends_on + timedelta(days=FINAL_REPORT_DAYS)


def retention_ends(fund: Fund) -> date:
    """The day the award's records may go: three years after its final report."""
    return add_months(final_report_day(fund), RETENTION_MONTHS)


def kept_until(case: Case) -> date | None:
    """The latest retention end of the awards that paid something for ``case``; None when none did.

    One query.
    """
    funds = Fund.objects.filter(requests__case=case, requests__payment__isnull=False).distinct()
    ends = [retention_ends(fund) for fund in funds.only("ends_on", "final_report_on")]
    return max(ends, default=None)


def kept_rows(case: Case) -> dict[type, tuple[Q, tuple[str, ...]]]:
    """What is kept of ``case`` for an audit, by model: a condition on the model's rows (subqueries,
    so that it costs no query of its own) and the fields kept in them."""
    payments = Payment.objects.filter(request__case=case)
    # A payment to the survivor keeps no payee: the payee's name and details would be the
    # survivor's identity, which goes whatever an audit needs. The amount, category, dates and
    # receipt stay.
    paid_to_others = payments.exclude(request__payee_kind=AssistanceRequest.Payee.SURVIVOR)
    return {
        AssistanceRequest: (Q(pk__in=paid_to_others.values("request_id")), KEPT_REQUEST_FIELDS),
        Document: (Q(pk__in=payments.filter(receipt__isnull=False).values("receipt_id")), KEPT_RECEIPT_FIELDS),
    }
