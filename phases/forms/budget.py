"""Forms for the monthly budget worksheet: which month, and its lines.

Amounts are read as text into ``Decimal`` (never a float) by ``MoneyField``, which says
plainly what is wrong with a negative, absurd or malformed amount. The month's rules (not
before the case opened, at most next month, once per case) live in ``phases.services.budget``.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from bloom.forms import MoneyField as BaseMoneyField
from phases.models import LARGEST_BUDGET_AMOUNT, BudgetLine
from phases.services.budget import LONGEST_LABEL, LONGEST_NOTE, MOST_LINES, LineInput

# Extra empty lines offered under the kept ones.
EXTRA_LINES = 3
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
LINE_FIELDS = ("id", "kind", "category", "label", "amount")
ZERO = Decimal("0.00")


class MoneyField(BaseMoneyField):
    """A budget line's amount: from 0 to ``LARGEST_BUDGET_AMOUNT``."""

    default_error_messages = {
        "negative": _("An amount cannot be negative: enter it as a positive number under income or expense."),
        "too_large": _("That is more than a monthly budget can hold: enter at most $999,999.99."),
    }

    def __init__(self, **kwargs):
        super().__init__(largest=LARGEST_BUDGET_AMOUNT, **kwargs)


class BudgetMonthForm(forms.Form):
    """Which month to start a worksheet for: a year and a month."""

    month = forms.TypedChoiceField(label=_("Month"), choices=sorted(MONTHS.items()), coerce=int)
    year = forms.IntegerField(
        label=_("Year"),
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=LONGEST_NOTE,
        help_text=_("Anything to remember about this month (optional)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, suggested: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        suggested = suggested or timezone.localdate()
        self.fields["month"].initial = suggested.month
        self.fields["year"].initial = suggested.year

    def first_day(self) -> date:
        return date(self.cleaned_data["year"], self.cleaned_data["month"], 1)


def _category_choices():
    labels = dict(BudgetLine.Category.choices)
    income = [(c, labels[c]) for c in BudgetLine.INCOME_CATEGORIES]
    expenses = [(c, label) for c, label in BudgetLine.Category.choices if c not in BudgetLine.INCOME_CATEGORIES]
    return [("", "—"), (_("Income"), income), (_("Expenses"), expenses)]


class BudgetLineForm(forms.Form):
    """One line of the worksheet; ``id`` is the kept line it edits (empty for a new one)."""

    id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Income or expense"), choices=BudgetLine.Kind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=_category_choices)
    label = forms.CharField(label=_("Description"), required=False, max_length=LONGEST_LABEL)
    amount = MoneyField(label=_("Amount"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An untouched empty line is left out, so "expense" here does not make it count as changed.
        self.fields["kind"].initial = self.initial.get("kind", BudgetLine.Kind.EXPENSE)

    def clean(self):
        cleaned = super().clean()
        kind, category = cleaned.get("kind"), cleaned.get("category")
        if kind and category and (category in BudgetLine.INCOME_CATEGORIES) != (kind == BudgetLine.Kind.INCOME):
            if kind == BudgetLine.Kind.INCOME:
                self.add_error("category", _("This category is an expense: choose an income category, or Expense."))
            else:
                self.add_error("category", _("This category is income: choose an expense category, or Income."))
        return cleaned


class BaseBudgetLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[LineInput]:
        """The lines to save, for ``services.save_budget_lines``: changed or kept, new, and removed."""
        chosen = []
        for index, form in enumerate(self.forms):
            if index >= self.initial_form_count() and not form.has_changed():
                continue  # an empty line offered and left empty
            deleted = self._should_delete_form(form)
            line_id = form.cleaned_data.get("id") if not form.errors.get("id") else None
            if deleted:
                if line_id is not None:
                    chosen.append(LineInput(id=line_id, kind="", category="", label="", amount=ZERO, delete=True))
                continue
            chosen.append(LineInput(**{name: form.cleaned_data[name] for name in LINE_FIELDS}))
        return chosen


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm,
    formset=BaseBudgetLineFormSet,
    extra=EXTRA_LINES,
    can_delete=True,
    max_num=MOST_LINES,
    validate_max=True,
    absolute_max=MOST_LINES + EXTRA_LINES,
)


class BudgetNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=LONGEST_NOTE,
        help_text=_("Anything to remember about this month (optional)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def initial_lines(lines) -> list[dict]:
    return [
        {"id": line.pk, "kind": line.kind, "category": line.category, "label": line.label, "amount": line.amount}
        for line in lines
    ]
