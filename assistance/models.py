"""Money and housing for survivors: funds, requests for money, help in kind, housing placements.

* A **Fund** is an award (federal or private) with a period and a total; its **FundBudget**
  rows are what each category may spend, and a category without one is not allowed.
  Committed (approved or paid), paid and remaining are always worked out from the requests,
  never kept as counters that could drift.
* An **AssistanceRequest** asks a fund for money for a case. A supervisor approves it;
  above ``BLOOM_SECOND_APPROVAL_ABOVE`` finance or the program director approves it too;
  nobody approves their own. The final approval commits the amount against the fund's
  category under a lock on the fund's row, so two approvals at once cannot overspend.
  Finance records the **Payment**, at most one per request (a one-to-one row), and its
  receipt as a case document.
* An **InKindItem** is help given in goods (food, clothing, a hygiene kit, a bus pass),
  counted for basic-necessities reporting.
* A **HousingPlacement** is one stay: emergency shelter (up to two months), transitional
  housing (up to eight), or long-term housing (renting, with family, repatriated).

Everything here hangs off a case and is visible exactly when the case is, except that the
finance role sees requests program-wide (client code, amount, payee; never the story):
``assistance.access`` is the only way views reach these rows. Rows are written only by
``assistance.services``, each with its history.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bloom.directory.models import Organization
from cases.models import Case, Document

# A single request above this is a typing mistake; a fund above the other, the same.
LARGEST_REQUEST = Decimal("50000.00")
LARGEST_FUND = Decimal("99999999.99")
# Help in kind: more than this many of one thing at once is a mistake.
MOST_ITEMS = 1000
LARGEST_ITEM_VALUE = Decimal("10000.00")


class Category(models.TextChoices):
    """What money or help is for; a fund budgets some of these."""

    FOOD = "food", _("Food")
    CLOTHING = "clothing", _("Clothing")
    SHELTER = "shelter", _("Shelter")
    RENT = "rent", _("Rent")
    UTILITIES = "utilities", _("Utilities")
    MEDICAL = "medical", _("Medical and dental")
    TRANSPORTATION = "transportation", _("Transportation")
    EDUCATION = "education", _("Education")
    JOB_TRAINING = "job training", _("Job training")
    OTHER = "other", _("Other")


class Fund(models.Model):
    """An award the program spends from: who gave it, its number, its period and its total."""

    name = models.CharField(_("name"), max_length=150)
    funder = models.CharField(_("funder"), max_length=200)
    award_number = models.CharField(_("award number"), max_length=60, unique=True)
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    # Federal awards keep their records for three years after the final report
    # (``assistance.retention``); without this date, 120 days after the period ends stands in.
    final_report_on = models.DateField(_("final report submitted on"), null=True, blank=True)
    total = models.DecimalField(_("total award"), max_digits=10, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["-ends_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="fund_period_in_order"),
            models.CheckConstraint(condition=Q(total__gt=0), name="fund_total_positive"),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(funder="") & ~Q(award_number=""), name="fund_named_with_funder_and_award"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.award_number})"


class CaseAward(models.Model):
    """A case served under an award's work, so that a funder's report can count only its cases.

    Any case may be under several awards, or none; the funder's reports count all cases
    unless asked for one award.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="awards")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="case_awards", verbose_name=_("award"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award a case is served under")
        verbose_name_plural = _("awards a case is served under")
        constraints = [models.UniqueConstraint(fields=["case", "fund"], name="case_award_once")]

    def __str__(self):
        return f"{self.case} · {self.fund}"


class FundBudget(models.Model):
    """What one category of a fund may spend. A category with no row is not allowed."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="budgets")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("budget"), max_digits=10, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund budget")
        verbose_name_plural = _("fund budgets")
        ordering = ["fund", "category"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "category"], name="fund_budget_once_per_category"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fund_budget_not_negative"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="fund_budget_category_known"),
        ]

    def __str__(self):
        return f"{self.fund}: {self.get_category_display()}"


class AssistanceRequest(models.Model):
    """A request for money for a case, from a fund, through its approvals to its payment."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for approval")
        SECOND_APPROVAL = "second approval", _("Waiting for a second approval")
        APPROVED = "approved", _("Approved, waiting for payment")
        PAID = "paid", _("Paid")
        DENIED = "denied", _("Denied")
        CANCELLED = "cancelled", _("Cancelled")

    class Payee(models.TextChoices):
        LANDLORD = "landlord", _("Landlord")
        UTILITY = "utility", _("Utility company")
        VENDOR = "vendor", _("Vendor or provider")
        SCHOOL = "school", _("School or training program")
        SURVIVOR = "survivor", _("The survivor")

    # Still open: waiting for a decision, or approved and waiting for payment.
    OPEN = (Status.WAITING, Status.SECOND_APPROVAL, Status.APPROVED)
    # What counts against the fund: approved (committed, not yet paid) and paid.
    COMMITTED = (Status.APPROVED, Status.PAID)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assistance_requests")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="requests", verbose_name=_("fund"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2)
    payee_kind = models.CharField(_("paid to"), max_length=20, choices=Payee.choices)
    # Empty when the survivor is paid: their name never reaches finance or the accountant.
    payee_name = models.CharField(_("payee"), max_length=200, blank=True)
    payee_details = models.TextField(_("payee details"), blank=True)
    purpose = models.CharField(_("what it is for"), max_length=300)
    needed_by = models.DateField(_("needed by"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_approved_at = models.DateTimeField(_("second approval"), null=True, blank=True)
    # Who denied or cancelled it, when and why.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")
        ordering = ["-requested_at", "-pk"]
        permissions = [
            ("approve_request", "Can approve assistance requests on the cases they decide on"),
            ("approve_large_request", "Can give the second approval to requests above the threshold"),
            ("view_all_requests", "Can see every request's amount, payee and client code"),
            ("record_payment", "Can record payments and receipts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=LARGEST_REQUEST), name="request_amount_in_range"
            ),
            models.CheckConstraint(
                condition=~Q(approved_by=F("requested_by")) & ~Q(second_approved_by=F("requested_by")),
                name="request_not_approved_by_requester",
            ),
            models.CheckConstraint(
                condition=~Q(second_approved_by=F("approved_by")), name="request_two_different_approvers"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["waiting"], approved_by__isnull=True)
                | Q(status__in=["second approval"], approved_by__isnull=False, second_approved_by__isnull=True)
                | Q(status__in=["approved", "paid"], approved_by__isnull=False)
                | Q(status__in=["denied", "cancelled"], closed_by__isnull=False) & ~Q(close_reason=""),
                name="request_status_has_its_people",
            ),
            models.CheckConstraint(
                condition=~Q(payee_kind="survivor") | Q(payee_name=""), name="request_survivor_payee_unnamed"
            ),
            models.CheckConstraint(
                condition=Q(payee_kind="survivor") | ~Q(payee_name=""), name="request_other_payee_named"
            ),
            models.CheckConstraint(
                condition=Q(
                    category__in=Category.values, payee_kind__in=["landlord", "utility", "vendor", "school", "survivor"]
                )
                & ~Q(purpose=""),
                name="request_says_what_for_and_to_whom",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "requested_at"]),
            # A fund's figures by category and status, summed from the index alone (``queries``).
            models.Index(
                fields=["fund", "category", "status"], include=["amount"], name="assistance_request_fund_sums"
            ),
            # The queue (open requests, the soonest needed first, 25 a page) read in its order;
            # for those who see requests through their cases, counted and put in order from the
            # index alone (``queries.queue_order``).
            models.Index(
                fields=["needed_by", "id"],
                include=["status", "case"],
                condition=Q(status__in=["waiting", "second approval", "approved"]),
                name="assistance_request_open_need",
            ),
            # The queue's two tab counts, for those who see requests through their cases: read
            # from the index alone, without visiting every open request's row.
            models.Index(
                fields=["status", "case"],
                condition=Q(status__in=["waiting", "second approval", "approved"]),
                name="assistance_request_open_case",
            ),
            # The requests waiting on an approver, counted on every page of those who decide
            # (``bloom.reports.dashboards.waiting``) from the index alone: who asked and who gave
            # the first approval are what the count filters on besides the case.
            models.Index(
                fields=["status", "case"],
                include=["requested_by", "approved_by"],
                condition=Q(status__in=["waiting", "second approval"]),
                name="assistance_request_to_approve",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        """How people refer to a request: R-000123."""
        return f"R-{self.pk:06d}" if self.pk else "R-new"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def payee_label(self) -> str:
        return str(self.Payee.SURVIVOR.label) if self.payee_kind == self.Payee.SURVIVOR else self.payee_name


class Payment(models.Model):
    """How and when a request was paid: one per request at most, by the one-to-one key."""

    class Method(models.TextChoices):
        CHECK = "check", _("Check")
        CARD = "card", _("Program card")
        DIRECT = "direct", _("Direct vendor payment")
        GIFT_CARD = "gift card", _("Gift card")
        BUS_PASS = "bus pass", _("Bus pass")

    request = models.OneToOneField(AssistanceRequest, on_delete=models.PROTECT, related_name="payment")
    method = models.CharField(_("how it was paid"), max_length=20, choices=Method.choices)
    reference = models.CharField(
        _("reference"), max_length=100, help_text=_("Check number, card transaction or voucher number.")
    )
    paid_on = models.DateField(_("paid on"))
    receipt = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("receipt")
    )
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        indexes = [models.Index(fields=["paid_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["check", "card", "direct", "gift card", "bus pass"]) & ~Q(reference=""),
                name="payment_method_and_reference_given",
            ),
        ]

    def __str__(self):
        return f"{self.request}: {self.get_method_display()} {self.reference}"


class InKindItem(models.Model):
    """Help given in goods, counted for basic-necessities reporting."""

    class Kind(models.TextChoices):
        FOOD = "food", _("Food")
        CLOTHING = "clothing", _("Clothing")
        HYGIENE_KIT = "hygiene kit", _("Hygiene kit")
        BUS_PASS = "bus pass", _("Bus pass")
        HOUSEHOLD = "household", _("Household goods")
        BABY = "baby", _("Baby supplies")
        SCHOOL = "school", _("School supplies")
        PHONE = "phone", _("Phone")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="in_kind_items")
    kind = models.CharField(_("what was given"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    value = models.DecimalField(
        _("estimated value"), max_digits=7, decimal_places=2, help_text=_("Of all of them together, in dollars.")
    )
    given_on = models.DateField(_("given on"))
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("help in kind")
        verbose_name_plural = _("help in kind")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MOST_ITEMS), name="in_kind_quantity_in_range"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=LARGEST_ITEM_VALUE), name="in_kind_value_in_range"
            ),
        ]
        indexes = [models.Index(fields=["given_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.quantity})"


class HousingPlacement(models.Model):
    """One stay: emergency shelter, transitional housing or long-term housing."""

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency shelter")
        TRANSITIONAL = "transitional", _("Transitional housing")
        LONG_TERM = "long-term", _("Long-term housing")

    class LongTerm(models.TextChoices):
        RENTAL = "rental", _("Renting a room, studio, apartment or home")
        FAMILY = "family", _("Reunited with family")
        REPATRIATION = "repatriation", _("Repatriated")

    class Exit(models.TextChoices):
        EMERGENCY = "emergency", _("Another emergency shelter")
        TRANSITIONAL = "transitional", _("Transitional housing")
        RENTAL = "rental", _("Their own rental")
        FAMILY = "family", _("With family")
        FRIENDS = "friends", _("With friends")
        REPATRIATION = "repatriation", _("Repatriated")
        TREATMENT = "treatment", _("Hospital or treatment")
        DETENTION = "detention", _("Detention")
        LEFT = "left", _("Left without saying where")
        UNKNOWN = "unknown", _("Unknown")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="housing_placements")
    kind = models.CharField(_("kind of housing"), max_length=20, choices=Kind.choices)
    long_term = models.CharField(_("long-term housing"), max_length=20, choices=LongTerm.choices, blank=True)
    provider = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider in the directory"),
    )
    provider_name = models.CharField(
        _("provider"), max_length=200, blank=True, help_text=_("When the provider is not in the directory.")
    )
    started_on = models.DateField(_("started on"))
    expected_end = models.DateField(_("expected end"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    exit_destination = models.CharField(_("went to"), max_length=20, choices=Exit.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("housing placement")
        verbose_name_plural = _("housing placements")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_on__isnull=True), name="housing_one_open_stay_per_case"
            ),
            models.CheckConstraint(
                condition=Q(kind="long-term", long_term__in=["rental", "family", "repatriation"])
                | (~Q(kind="long-term") & Q(long_term="")),
                name="housing_long_term_kind_only_for_long_term",
            ),
            models.CheckConstraint(
                condition=Q(kind="long-term") | Q(expected_end__isnull=False),
                name="housing_limited_stay_has_expected_end",
            ),
            models.CheckConstraint(
                condition=Q(expected_end__isnull=True) | Q(expected_end__gte=F("started_on")),
                name="housing_expected_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, exit_destination="")
                | Q(ended_on__isnull=False, ended_on__gte=F("started_on")) & ~Q(exit_destination=""),
                name="housing_ended_with_destination",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["emergency", "transitional", "long-term"]), name="housing_kind_known"
            ),
            # A shelter or transitional stay says where: the directory's provider, or its name; never both.
            models.CheckConstraint(
                condition=Q(kind="long-term") | Q(provider__isnull=False) | ~Q(provider_name=""),
                name="housing_limited_stay_names_its_provider",
            ),
            models.CheckConstraint(
                condition=Q(provider__isnull=True) | Q(provider_name=""), name="housing_provider_or_its_name"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.started_on}"

    @property
    def provider_label(self) -> str:
        return self.provider.name if self.provider_id else self.provider_name

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
