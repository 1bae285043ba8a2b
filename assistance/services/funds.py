"""Funds and their budgets: set up by finance or the program director, changed only under lock.

A fund's category budgets add up to no more than its total, and none is cut below what is
already committed against it; the period never shrinks past a request that is still
counted. Changes lock the fund's row, the same lock an approval takes, so a budget cannot
shrink while a request is being approved against it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assistance import access, queries
from assistance.models import LARGEST_FUND, AssistanceRequest, Category, Fund, FundBudget
from assistance.services.common import AssistanceError, day, dollars, max_length, money_problem, too_long
from bloom.accounts.models import User
from bloom.said import Said
from cases.services.common import apply_changes as _apply
from cases.services.common import delete as _delete
from cases.services.common import save as _save

LONGEST = {
    "name": max_length(Fund, "name"),
    "funder": max_length(Fund, "funder"),
    "award_number": max_length(Fund, "award_number"),
    "note": 2000,
}


@dataclass(frozen=True)
class FundDetails:
    name: str
    funder: str
    award_number: str
    starts_on: date
    ends_on: date
    total: Decimal
    note: str = ""


def _check(details: FundDetails, budgets: dict[str, Decimal]) -> dict:
    errors = {}
    for field in ("name", "funder", "award_number"):
        if not getattr(details, field).strip():
            errors[field] = _("This is needed.")
    errors |= too_long(
        LONGEST, name=details.name, funder=details.funder, award_number=details.award_number, note=details.note
    )
    if details.ends_on < details.starts_on:
        errors["ends_on"] = _("The period ends before it starts.")
    elif (details.ends_on - details.starts_on).days > 6 * 366:
        errors["ends_on"] = _("A fund's period is at most six years.")
    if problem := money_problem(details.total, largest=LARGEST_FUND):
        errors["total"] = problem
    unknown = [category for category in budgets if category not in Category.values]
    if unknown:
        errors["budgets"] = _("Not a category: %(values)s.") % {"values": ", ".join(map(str, unknown))}
    elif not budgets:
        errors["budgets"] = _("Give at least one category a budget: it is what the fund may pay for.")
    else:
        for category, amount in budgets.items():
            if problem := money_problem(amount, largest=LARGEST_FUND, zero_allowed=True):
                errors["budgets"] = f"{Category(category).label}: {problem}"
                break
        else:
            if "total" not in errors and sum(budgets.values()) > details.total:
                errors["budgets"] = _(
                    "The category budgets add up to %(sum)s, more than the fund's total of %(total)s."
                ) % {
                    "sum": dollars(sum(budgets.values())),
                    "total": dollars(details.total),
                }
    return errors


def _values(details: FundDetails) -> dict:
    values = {**vars(details)}
    for field in ("name", "funder", "award_number", "note"):
        values[field] = values[field].strip()
    return values


@transaction.atomic
def create_fund(*, by: User, details: FundDetails, budgets: dict[str, Decimal]) -> Fund:
    """A new fund with a budget for each category it may pay for.

    Refused with ``AssistanceError`` (by field) for a missing name, funder or award number,
    an award number already used, a period out of order, a total or budget that is not an
    amount of money, or budgets adding up to more than the total.
    """
    if not access.holds(by, access.MANAGE_FUNDS):
        raise PermissionDenied
    if errors := _check(details, budgets):
        raise AssistanceError(errors)
    fund = Fund(**_values(details), created_by=by)
    try:
        with transaction.atomic():
            _save(fund, by=by, reason=Said("fund.set_up"))
    except IntegrityError:
        raise AssistanceError({"award_number": _("Another fund has this award number.")}) from None
    for category, amount in budgets.items():
        _save(FundBudget(fund=fund, category=category, amount=amount), by=by, reason=Said("fund_budget.set"))
    return fund


def _against_requests(fund: Fund, details: FundDetails, budgets: dict[str, Decimal]) -> dict:
    """What a change would take away from requests already made: committed money, a category, a day."""
    errors = {}
    figures = queries.category_figures(fund)
    for row in figures.rows:
        if row.category not in budgets and (row.committed or row.waiting):
            errors.setdefault(
                "budgets", _("%(category)s has requests against it; it stays allowed.") % {"category": row.label}
            )
        elif row.category in budgets and budgets[row.category] < row.committed:
            errors.setdefault(
                "budgets",
                _("%(category)s: %(committed)s is already committed; the budget cannot be less.")
                % {"category": row.label, "committed": dollars(row.committed)},
            )
    if details.total < figures.total.committed:
        errors["total"] = _("%(committed)s is already committed; the total cannot be less.") % {
            "committed": dollars(figures.total.committed)
        }
    outside = (
        fund.requests.exclude(status__in=[AssistanceRequest.Status.DENIED, AssistanceRequest.Status.CANCELLED])
        .filter(Q(needed_by__lt=details.starts_on) | Q(needed_by__gt=details.ends_on))
        .order_by("needed_by")
        .first()
    )
    if outside:
        errors["ends_on"] = _("Request %(number)s is needed on %(day)s, outside this period.") % {
            "number": outside.number,
            "day": day(outside.needed_by),
        }
    return errors


@transaction.atomic
def change_fund(fund: Fund, *, by: User, details: FundDetails, budgets: dict[str, Decimal]) -> Fund:
    """Change a fund's details and budgets. A category left out is no longer allowed.

    Refused as ``create_fund`` is, and also when a category's new budget is below what is
    committed against it (approved or paid), when a category with committed or waiting
    requests would be taken away, or when the new period leaves out a request still counted.
    """
    if not access.holds(by, access.MANAGE_FUNDS):
        raise PermissionDenied
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    errors = _check(details, budgets) | _against_requests(fund, details, budgets)
    if errors:
        raise AssistanceError(errors)
    changed = _apply(fund, _values(details))
    if changed:
        try:
            with transaction.atomic():
                _save(fund, by=by, reason=Said("fund.changed"), fields=changed)
        except IntegrityError:
            raise AssistanceError({"award_number": _("Another fund has this award number.")}) from None
    kept = {budget.category: budget for budget in fund.budgets.all()}
    for category, amount in budgets.items():
        budget = kept.pop(category, None) or FundBudget(fund=fund, category=category, amount=amount)
        if budget.pk is None:
            _save(budget, by=by, reason=Said("fund_budget.set"))
        elif budget.amount != amount:
            budget.amount = amount
            _save(budget, by=by, reason=Said("fund_budget.changed"), fields=["amount"])
    for budget in kept.values():
        _delete(budget, by=by, reason=Said("fund_budget.dropped"))
    return fund
