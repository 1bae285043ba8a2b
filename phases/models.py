"""The case plan: the program's phases, each case's journey through them, goals and budgets.

* A **PhaseTemplate** is the program's ordered list of **Phase**s (Strengthen, Heal,
  Revitalize by default). One template is *in use*: new case plans follow it. A template
  that any case plan follows can no longer be edited, only copied, so changing the
  program's phases never rewrites a past journey.
* A case's **CasePlan** follows one template from the day it started, for an expected
  length of at least a year. Its **PhaseStay** rows are the journey: one per time in a
  phase, with how it began (the start, a move forward, a move back).
* Moving forward needs a **PhaseReview** (the phase's checklist, the specialist's note,
  the survivor's own view) signed off by a supervisor who did not ask for it. Moving back
  needs only a reason, and is never called a failure.
* **Goal**s are written in the survivor's own words, with action steps and progress notes.
* A **BudgetMonth** is the survivor's budget worksheet for one month, line by line.

Everything here hangs off a case and is visible exactly when the case is: views load the
case through ``cases.permissions`` and reach these rows through it. Rows are written only by
``phases.services``, each with its history.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bloom.said import render
from bloom.translated import Translated, translations_field
from cases.models import Case

# The program is designed to take at least a year; five is the longest plan anyone keeps.
SHORTEST_PLAN_MONTHS = 12
LONGEST_PLAN_MONTHS = 60
# Budget amounts: up to a million a month is plenty; more is a typing mistake.
LARGEST_BUDGET_AMOUNT = Decimal("999999.99")


class GoalDomain(models.TextChoices):
    HOUSING = "housing", _("Housing")
    INCOME = "income and employment", _("Income and employment")
    BUDGETING = "budgeting", _("Budgeting")
    EDUCATION = "education", _("Education")
    PHYSICAL_HEALTH = "physical health", _("Physical health")
    MENTAL_HEALTH = "mental health and therapy", _("Mental health and therapy")
    SPIRITUAL = "spiritual", _("Spiritual")
    LEGAL = "legal and immigration", _("Legal and immigration")
    SAFETY = "safety", _("Safety")
    RELATIONSHIPS = "relationships", _("Relationships")
    COMMUNITY = "community", _("Community")
    OTHER = "other", _("Other")


class PhaseTemplate(Translated, models.Model):
    """The program's phases, in order. The one ``in_use`` is what new case plans follow."""

    TRANSLATED = ("name", "description")

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    # The name and description in the other languages (``bloom.translated``).
    translations = translations_field()
    in_use = models.BooleanField(_("in use for new case plans"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase template")
        verbose_name_plural = _("phase templates")
        ordering = ["-in_use", "name"]
        constraints = [
            models.UniqueConstraint(fields=["in_use"], condition=Q(in_use=True), name="phase_template_one_in_use"),
        ]

    def __str__(self):
        return self.name


class Phase(Translated, models.Model):
    """One phase of a template: its name, purpose, suggested goal domains, length and review checklist."""

    TRANSLATED = ("name", "purpose", "checklist")
    TRANSLATED_LISTS = ("checklist",)

    template = models.ForeignKey(PhaseTemplate, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=100)
    purpose = models.TextField(_("purpose"))
    suggested_domains = models.JSONField(_("suggested goal domains"), default=list, blank=True)
    expected_months = models.PositiveSmallIntegerField(_("expected months"), validators=[MinValueValidator(1)])
    # What a review before leaving this phase goes through, one plain sentence per item.
    checklist = models.JSONField(_("review checklist"), default=list, blank=True)
    # The name, purpose and checklist in the other languages (``bloom.translated``); unlike the
    # English, they may still be written once case plans follow the template.
    translations = translations_field()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="phase_position_once_per_template"),
            models.UniqueConstraint(fields=["template", "name"], name="phase_name_once_per_template"),
            models.CheckConstraint(condition=Q(expected_months__gte=1), name="phase_expected_months_positive"),
        ]

    def __str__(self):
        return self.name


class CasePlan(models.Model):
    """A case's three-phase (or other) plan: the template it follows and its expected length."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    template = models.ForeignKey(PhaseTemplate, on_delete=models.PROTECT, related_name="plans")
    started_on = models.DateField(_("started on"))
    expected_months = models.PositiveSmallIntegerField(_("expected length in months"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case plan")
        verbose_name_plural = _("case plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_months__gte=SHORTEST_PLAN_MONTHS, expected_months__lte=LONGEST_PLAN_MONTHS),
                name="case_plan_at_least_a_year",
            ),
        ]

    def __str__(self):
        return f"{self.case}: {self.template}"


class PhaseStay(models.Model):
    """One time in a phase: when it began, how, and when it ended (open while it lasts)."""

    class How(models.TextChoices):
        STARTED = "started", _("Plan started")
        FORWARD = "forward", _("Moved forward")
        BACK = "back", _("Moved back")

    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="stays")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    entered_on = models.DateField(_("entered on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    how = models.CharField(_("how"), max_length=20, choices=How.choices)
    # Why the survivor went back to an earlier phase; empty otherwise.
    reason = models.TextField(_("reason"), blank=True)
    review = models.OneToOneField("PhaseReview", on_delete=models.PROTECT, null=True, blank=True, related_name="stay")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("time in a phase")
        verbose_name_plural = _("times in a phase")
        ordering = ["plan", "entered_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(left_on__isnull=True), name="phase_stay_one_current"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("entered_on")),
                name="phase_stay_left_after_entered",
            ),
            models.CheckConstraint(condition=~Q(how="back") | ~Q(reason=""), name="phase_stay_back_has_reason"),
            models.CheckConstraint(
                condition=~Q(how="forward") | Q(review__isnull=False), name="phase_stay_forward_has_review"
            ),
        ]

    def __str__(self):
        return f"{self.plan.case}: {self.phase}"


class PhaseReview(models.Model):
    """A request to move forward to the next phase, and the supervisor's sign-off."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for sign-off")
        SIGNED_OFF = "signed off", _("Signed off")
        RETURNED = "returned", _("Returned for changes")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="reviews")
    from_phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    to_phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    # The phase's checklist as it was answered: [{"item": "...", "done": true}, ...].
    checklist = models.JSONField(_("checklist"), default=list)
    specialist_note = models.TextField(_("specialist's note"))
    survivor_view = models.TextField(_("the survivor's own view"))
    move_on = models.DateField(_("move on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase review")
        verbose_name_plural = _("phase reviews")
        ordering = ["-requested_at", "-pk"]
        permissions = [("sign_off_phase_move", "Can sign off a move to the next phase")]
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(status="waiting"), name="phase_review_one_waiting"),
            models.CheckConstraint(
                condition=Q(status="waiting", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="waiting") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="phase_review_decided_iff_not_waiting",
            ),
            # Nobody signs off a move they asked for themselves.
            models.CheckConstraint(
                condition=~Q(status="signed off", decided_by=models.F("requested_by")),
                name="phase_review_not_signed_off_by_asker",
            ),
        ]

    def __str__(self):
        return f"{self.plan.case}: {self.from_phase} → {self.to_phase}"

    def answered_checklist(self) -> list[dict]:
        """The checklist as it was answered, each item in the reader's language.

        The review keeps the items' English as they were; the phase's checklist cannot have
        changed since (a template a plan follows is frozen), so an item still standing at its
        place there is read in the phase's translation. Needs ``from_phase`` loaded.
        """
        english = list(self.from_phase.checklist)
        shown = self.from_phase.local("checklist")
        answered = []
        for index, entry in enumerate(self.checklist):
            item = entry.get("item", "")
            if index < len(english) and english[index] == item:
                item = shown[index]
            answered.append({**entry, "item": item})
        return answered

    def get_decision_note_display(self) -> str:
        """The note in the reader's language when Bloom wrote it (a move withdrawn), else as typed."""
        return render(self.decision_note)


class Goal(models.Model):
    """A goal in the survivor's own words, with a staff summary, its steps and progress notes."""

    class Status(models.TextChoices):
        NOT_STARTED = "not started", _("Not started")
        IN_PROGRESS = "in progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        CHANGED = "changed by the survivor", _("Changed by the survivor")
        SET_ASIDE = "set aside", _("Set aside")

    class Priority(models.IntegerChoices):
        NOW = 1, _("Most important now")
        SOON = 2, _("Important")
        LATER = 3, _("For later")

    # A goal in one of these statuses is still being worked on.
    OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    in_own_words = models.TextField(_("the goal in the survivor's own words"))
    staff_summary = models.CharField(_("staff summary"), max_length=200, blank=True)
    domain = models.CharField(_("area of life"), max_length=40, choices=GoalDomain.choices)
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("phase")
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.NOT_STARTED)
    priority = models.PositiveSmallIntegerField(
        _("the survivor's priority"), choices=Priority.choices, default=Priority.SOON
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["priority", "target_on", "pk"]
        indexes = [models.Index(fields=["case", "status"], name="goal_case_status")]

    def __str__(self):
        return self.staff_summary or self.in_own_words[:60]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ActionStep(models.Model):
    """One step towards a goal: what, who does it, by when, and when it was done."""

    class Owner(models.TextChoices):
        SURVIVOR = "survivor", _("The survivor")
        SPECIALIST = "specialist", _("The specialist")
        PARTNER = "partner", _("A partner")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(_("step"), max_length=300)
    owner = models.CharField(_("who does it"), max_length=20, choices=Owner.choices)
    # The partner organization or person, when a partner does it.
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")
        ordering = ["done_on", "due_on", "pk"]
        indexes = [models.Index(fields=["due_on"], condition=Q(done_on__isnull=True), name="step_open_due")]
        constraints = [
            # A partner's step names the partner; nobody else's names one.
            models.CheckConstraint(
                condition=(Q(owner="partner") & ~Q(partner="")) | (~Q(owner="partner") & Q(partner="")),
                name="action_step_partner_named_iff_partner_owner",
            ),
        ]

    def __str__(self):
        return self.description


class GoalNote(models.Model):
    """A dated note on how a goal is going."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("date"))
    note = models.TextField(_("progress note"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-written_on", "-pk"]

    def __str__(self):
        return self.note[:60]


class BudgetMonth(models.Model):
    """The survivor's budget worksheet for one month (``month`` is its first day)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="budget_months")
    month = models.DateField(_("month"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget month")
        verbose_name_plural = _("budget months")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["case", "month"], name="budget_month_once_per_case"),
            models.CheckConstraint(condition=Q(month__day=1), name="budget_month_is_first_day"),
        ]

    def __str__(self):
        return f"{self.case}: {self.month:%Y-%m}"


# Which categories are income (the rest are expenses); a constraint keeps lines true to it.
_INCOME_CATEGORIES = ("wages", "benefits", "child support", "family help", "program help", "other income")


class BudgetLine(models.Model):
    """One income source or one expense in a month's worksheet."""

    class Kind(models.TextChoices):
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    class Category(models.TextChoices):
        # Income
        WAGES = "wages", _("Wages")
        BENEFITS = "benefits", _("Benefits")
        CHILD_SUPPORT = "child support", _("Child support")
        FAMILY_HELP = "family help", _("Help from family or friends")
        PROGRAM_HELP = "program help", _("Program assistance")
        OTHER_INCOME = "other income", _("Other income")
        # Expenses
        RENT = "rent", _("Rent")
        UTILITIES = "utilities", _("Utilities")
        FOOD = "food", _("Food")
        TRANSPORTATION = "transportation", _("Transportation")
        PHONE = "phone", _("Phone")
        CHILDCARE = "childcare", _("Childcare")
        HEALTH = "health", _("Health")
        DEBT = "debt payments", _("Debt payments")
        SAVINGS = "savings", _("Savings")
        CLOTHING = "clothing", _("Clothing")
        PERSONAL = "personal care", _("Personal care")
        OTHER_EXPENSE = "other expense", _("Other expense")

    INCOME_CATEGORIES = _INCOME_CATEGORIES

    month = models.ForeignKey(BudgetMonth, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("income or expense"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    label = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["kind", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0, amount__lte=LARGEST_BUDGET_AMOUNT), name="budget_line_amount_in_range"
            ),
            models.CheckConstraint(
                condition=Q(kind="income", category__in=_INCOME_CATEGORIES)
                | (Q(kind="expense") & ~Q(category__in=_INCOME_CATEGORIES)),
                name="budget_line_category_fits_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.amount}"
