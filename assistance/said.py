"""The words ``assistance`` stores for people to read later, by code (``bloom.said``).

Each ``legacy`` is the English sentence the services stored before codes: the data migration
``stored_words_as_codes`` reads it to convert the rows written then.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from bloom.said import DAY, NUMBER, TEXT, Words, register

register(
    "assistance",
    # Requests for assistance and their payments
    Words("assistance.requested", _("Assistance requested"), legacy="Assistance requested"),
    Words("assistance.corrected", _("Request corrected"), legacy="Request corrected"),
    Words(
        "assistance.approved_first",
        _("Approved; waiting for a second approval"),
        legacy="Approved; waiting for a second approval",
    ),
    Words("assistance.approved", _("Approved"), legacy="Approved"),
    Words("assistance.denied", _("Denied"), legacy="Denied"),
    Words("assistance.cancelled", _("Cancelled"), legacy="Cancelled"),
    Words("assistance.paid", _("Paid"), legacy="Paid"),
    Words("payment.recorded", _("Payment recorded"), legacy="Payment recorded"),
    Words("payment.receipt_added", _("Receipt added"), legacy="Receipt added"),
    # Funds, their budgets and awards
    Words("fund.set_up", _("Fund set up"), legacy="Fund set up"),
    Words("fund.changed", _("Fund changed"), legacy="Fund changed"),
    Words("fund_budget.set", _("Budget set"), legacy="Budget set"),
    Words("fund_budget.changed", _("Budget changed"), legacy="Budget changed"),
    Words("fund_budget.dropped", _("Category no longer allowed"), legacy="Category no longer allowed"),
    Words("award.case_added", _("Case placed under an award"), legacy="Case placed under an award"),
    Words("award.case_removed", _("Case no longer under this award"), legacy="Case no longer under this award"),
    # Housing
    Words("housing.recorded", _("Housing placement recorded"), legacy="Housing placement recorded"),
    Words("housing.moved_on", _("Stay ended: moved on"), legacy="Stay ended: moved on"),
    Words("housing.ended", _("Stay ended"), legacy="Stay ended"),
    Words("housing.changed", _("Stay changed"), legacy="Stay changed"),
    # Help in kind; why an item was taken back is the person's own words.
    Words("help.recorded", _("Help in kind recorded"), legacy="Help in kind recorded"),
    Words("help.removed", _("Removed: %(why)s"), why=TEXT, legacy=r"Removed: (?P<why>.*)"),
    # The access log's reasons
    Words("log.receipt", _("Receipt of %(number)s"), number=TEXT, legacy=r"receipt of (?P<number>.+)"),
    Words(
        "log.payments",
        ngettext_lazy(
            "Payments %(start)s to %(end)s (%(count)s row)", "Payments %(start)s to %(end)s (%(count)s rows)", "count"
        ),
        start=DAY,
        end=DAY,
        count=NUMBER,
        legacy=r"payments (?P<start>[0-9-]{10}) to (?P<end>[0-9-]{10}) \((?P<count>[0-9]+) rows\)",
    ),
)
