"""The survivor's monthly budget worksheet: one per month per case, kept over time.

A new month starts from the lines of the latest month before it, so a busy specialist
changes only what moved. Money is ``Decimal`` from the form to the database, never a float;
an amount is from 0 to ``LARGEST_BUDGET_AMOUNT`` with at most two decimals, and a line's
category fits its kind (income or expense), as the model's constraints also hold.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bloom.accounts.models import User
from bloom.said import Said
from cases.models import Case
from cases.services.common import apply_changes as _apply
from cases.services.common import delete as _delete
from cases.services.common import save as _save
from phases.models import LARGEST_BUDGET_AMOUNT, BudgetLine, BudgetMonth

# More lines than this in one month's worksheet is a mistake (or an attack), not a budget.
MOST_LINES = 60
CENT = Decimal("0.01")
LONGEST_LABEL = BudgetLine._meta.get_field("label").max_length
LONGEST_NOTE = 1000


class BudgetError(ValidationError):
    """A worksheet or line the case does not allow; the message says why.

    Raised with the form field it concerns (``{"month": message}``); line errors are keyed
    ``lines`` with the line's position in the message.
    """


@dataclass(frozen=True)
class LineInput:
    """One line as the worksheet form sends it: ``id`` of a kept line, or ``None`` for a new one."""

    id: int | None
    kind: str
    category: str
    label: str
    amount: Decimal
    delete: bool = False


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_label(month: date) -> str:
    """``March 2026``, in the language of the page."""
    return date_format(month, "YEAR_MONTH_FORMAT")


def latest_month_allowed(today: date | None = None) -> date:
    """The latest month a worksheet may be for: next month (planning ahead), no further."""
    return next_month(first_of_month(today or timezone.localdate()))


def earliest_month_allowed(case: Case) -> date:
    return first_of_month(case.opened_on)


@transaction.atomic
def start_budget_month(case: Case, *, by: User, month: date, note: str = "") -> BudgetMonth:
    """Start the worksheet for one month, filled with the lines of the latest month before it.

    Refused with ``BudgetError`` for a month before the case opened, after next month, or
    one the case already has a worksheet for, or a note too long. Side effect: the copied
    lines are written with their own history.
    """
    month = first_of_month(month)
    # Two people starting the same month at once: the second waits here, then is refused.
    Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
    _check_month(case, month)
    _check_note(note)
    worksheet = BudgetMonth(case=case, month=month, note=note.strip(), created_by=by)
    try:
        with transaction.atomic():
            _save(worksheet, by=by, reason=Said("budget.started", month=month))
    except IntegrityError:
        raise BudgetError({"month": _already(month)}) from None
    previous = case.budget_months.filter(month__lt=month).order_by("-month").first()
    if previous is not None:
        for line in previous.lines.order_by("kind", "category", "pk"):
            copy = BudgetLine(
                month=worksheet, kind=line.kind, category=line.category, label=line.label, amount=line.amount
            )
            _save(copy, by=by, reason=Said("budget_line.carried", month=previous.month))
    return worksheet


def _check_note(note: str) -> None:
    if len(note.strip()) > LONGEST_NOTE:
        raise BudgetError({"note": _("Keep the note to %(most)s characters or fewer.") % {"most": LONGEST_NOTE}})


def _already(month: date) -> str:
    return _("There is already a worksheet for %(month)s; open it to change it.") % {"month": month_label(month)}


def _check_month(case: Case, month: date) -> None:
    earliest = earliest_month_allowed(case)
    if month < earliest:
        raise BudgetError(
            {
                "month": _("The case opened in %(opened)s; choose that month or a later one.")
                % {"opened": month_label(earliest)}
            }
        )
    latest = latest_month_allowed()
    if month > latest:
        raise BudgetError(
            {
                "month": _("Plan at most one month ahead: choose %(latest)s or earlier.")
                % {"latest": month_label(latest)}
            }
        )
    if case.budget_months.filter(month=month).exists():
        raise BudgetError({"month": _already(month)})


@transaction.atomic
def save_budget_lines(worksheet: BudgetMonth, *, by: User, lines: list[LineInput], note: str) -> BudgetMonth:
    """Save a month's worksheet as edited: change the kept lines, add the new ones, remove those marked.

    Refused with ``BudgetError`` (nothing saved) for a line of another worksheet, a category
    that does not fit its kind, an amount below 0, above ``LARGEST_BUDGET_AMOUNT`` or with
    more than two decimals, more than ``MOST_LINES`` lines once saved (the kept lines not
    named count too), or a note too long. Only what changed is written, each with its history.
    """
    worksheet = BudgetMonth.objects.select_for_update(of=("self",)).get(pk=worksheet.pk)
    kept = {line.pk: line for line in worksheet.lines.all()}
    removed = {line.id for line in lines if line.delete and line.id in kept}
    added = [line for line in lines if line.id is None and not line.delete]
    if len(kept) - len(removed) + len(added) > MOST_LINES:
        raise BudgetError({"lines": _("A worksheet holds at most %(most)s lines.") % {"most": MOST_LINES}})
    _check_note(note)
    seen: set[int] = set()
    for position, line in enumerate(lines, start=1):
        if line.id is not None and line.id in seen:
            # Only a hand-made post sends a line twice; the page never does.
            raise BudgetError({"lines": _("Line %(n)s repeats an earlier line; reload the page.") % {"n": position}})
        if line.id is not None:
            seen.add(line.id)
        if line.id is not None and line.id not in kept:
            # Removed meanwhile by someone else, or never this worksheet's.
            raise BudgetError(
                {"lines": _("Line %(n)s is no longer on this worksheet; reload the page.") % {"n": position}}
            )
        if not line.delete:
            _check_line(position, line)
    for line in lines:
        if line.delete:
            if line.id is not None:
                _delete(kept[line.id], by=by, reason=Said("budget_line.removed"))
            continue
        values = {"kind": line.kind, "category": line.category, "label": line.label.strip(), "amount": line.amount}
        if line.id is None:
            _save(BudgetLine(month=worksheet, **values), by=by, reason=Said("budget_line.added"))
        elif changed := _apply(kept[line.id], values):
            _save(kept[line.id], by=by, reason=Said("budget_line.changed", fields=changed), fields=changed)
    if _apply(worksheet, {"note": note.strip()}):
        _save(worksheet, by=by, reason=Said("budget.note_changed"), fields=["note"])
    return worksheet


def _check_line(position: int, line: LineInput) -> None:
    def refuse(message: str):
        raise BudgetError({"lines": _("Line %(n)s: %(problem)s") % {"n": position, "problem": message}})

    if line.kind not in BudgetLine.Kind.values:
        refuse(_("choose income or expense."))
    if line.category not in BudgetLine.Category.values or (
        (line.category in BudgetLine.INCOME_CATEGORIES) != (line.kind == BudgetLine.Kind.INCOME)
    ):
        refuse(_("choose a category that fits its kind."))
    if len(line.label.strip()) > LONGEST_LABEL:
        refuse(_("keep the description to %(most)s characters.") % {"most": LONGEST_LABEL})
    amount = line.amount
    if not isinstance(amount, Decimal) or not amount.is_finite():
        refuse(_("enter an amount in dollars and cents."))
    if amount.is_signed() or amount > LARGEST_BUDGET_AMOUNT or amount != amount.quantize(CENT):
        refuse(_("enter an amount from 0 to %(most)s, in dollars and cents.") % {"most": LARGEST_BUDGET_AMOUNT})
