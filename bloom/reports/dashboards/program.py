"""The program dashboard's sections: each figure of ``director`` as a chart, its table and its CSV.

A section's chart carries its own table (``Chart.headings`` and ``rows``) and the same numbers
raw (``Chart.csv_rows``), so the page's table and the section's CSV cannot disagree. Sections are
built one at a time by slug, so that a CSV costs only its own queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bloom import charts
from bloom.accounts.models import User
from bloom.reports.dashboards import director
from bloom.reports.figures import Period
from cases.models import ClosureReason, LivingSituation, Service


@dataclass(frozen=True)
class Section:
    slug: str  # the CSV's name in its address
    title: str
    # How it counts, in a sentence, under the figure.
    note: str
    # The figure; its table is the section's CSV.
    chart: charts.Chart
    # A second picture of the same figures, before it (the funnel of the period's totals).
    overview: charts.Chart | None = None
    # A sentence with the section's total, when one helps.
    summary: str = ""


def _month(month) -> str:
    # Short ("Nov 2026"), so that a year of months can be written under a chart.
    return date_format(month, "M Y")


def referrals(user: User, period: Period) -> Section:
    months = director.funnel(user, period)
    steps = [_("Referrals received"), _("Screened"), _("Enrolled")]
    values = [[m.referred for m in months], [m.screened for m in months], [m.enrolled for m in months]]
    return Section(
        slug="referrals",
        title=_("From referral to enrolment"),
        note=_(
            "A referral is counted in the month of its referral date (its intake date when there is none); "
            "screened and enrolled count those same referrals, screened or enrolled by the end of the period."
        ),
        overview=charts.funnel(
            steps,
            [sum(step) for step in values],
            chart_id="referrals-funnel",
            title=_("Referrals in the period, screened and enrolled"),
            desc=_("Three steps, each as wide as its number; the table gives each step's share of the referrals."),
        ),
        chart=charts.columns(
            [_month(m.month) for m in months],
            [charts.Series(name, step) for name, step in zip(steps, values, strict=True)],
            chart_id="referrals-by-month",
            title=_("Referrals, screenings and enrolments by month of referral"),
            desc=_("For each month, a column for the referrals received, those screened and those enrolled."),
            label_heading=_("Month"),
        ),
    )


def phases(user: User, period: Period) -> Section:
    counts = director.phases_on(user, period.end)
    day = date_format(period.end, "DATE_FORMAT")
    total = sum(c.survivors for c in counts)
    return Section(
        slug="phases",
        title=_("Active survivors by phase"),
        note=_(
            "Survivors whose case was open on the last day of the period, by the phase of their case plan that day."
        ),
        summary=ngettext("%(count)s survivor active on %(day)s.", "%(count)s survivors active on %(day)s.", total)
        % {"count": charts.count(total), "day": day},
        chart=charts.bars(
            [c.name or _("No case plan yet") for c in counts],
            [charts.Series(_("Survivors"), [c.survivors for c in counts])],
            chart_id="phases",
            title=_("Active survivors by phase on %(day)s") % {"day": day},
            desc=_("A bar for each phase, and for the survivors with no case plan yet."),
            label_heading=_("Phase"),
        ),
    )


def closure_reasons(user: User, period: Period) -> Section:
    closed = director.closures(user, period)
    return Section(
        slug="closure-reasons",
        title=_("Closures by reason"),
        note=_("Cases closed in the period with the closure approved, by the closing date."),
        summary=_closed(closed.total),
        chart=charts.bars(
            [label for _value, label in ClosureReason.choices],
            [charts.Series(_("Cases closed"), [closed.by_reason.get(value, 0) for value in ClosureReason.values])],
            chart_id="closure-reasons",
            title=_("Cases closed by reason"),
            desc=_("A bar for each reason for closing."),
            label_heading=_("Reason"),
        ),
    )


def living_situations(user: User, period: Period) -> Section:
    closed = director.closures(user, period)
    situations = LivingSituation.values
    return Section(
        slug="living-situations",
        title=_("Closures by living situation"),
        note=_("The same closures, by where the survivor was living when the case closed."),
        summary=_closed(closed.total),
        chart=charts.bars(
            [label for _value, label in LivingSituation.choices],
            [charts.Series(_("Cases closed"), [closed.by_living_situation.get(value, 0) for value in situations])],
            chart_id="living-situations",
            title=_("Cases closed by living situation at closure"),
            desc=_("A bar for each living situation."),
            label_heading=_("Living situation"),
        ),
    )


def _closed(total: int) -> str:
    return ngettext("%(count)s case closed in the period.", "%(count)s cases closed in the period.", total) % {
        "count": charts.count(total)
    }


def money(user: User, period: Period) -> Section:
    funds = director.money(user, period)
    names = _fund_names(funds)
    day = date_format(period.end, "DATE_FORMAT")
    return Section(
        slug="money",
        title=_("Money paid against each fund's budget"),
        note=_(
            "The funds whose award period overlaps the period. A payment counts on the day it was paid; "
            "paid in all adds every payment from the fund's start to the end of the period."
        ),
        overview=charts.bars(
            names,
            [charts.Series(_("Share of the budget paid"), [_share(f.paid_by_end, f.budget) for f in funds])],
            chart_id="money-share",
            title=_("Share of each budget paid by %(day)s") % {"day": day},
            desc=_("A bar for each fund, the whole width being its budget."),
            fmt=_percent,
            label_heading=_("Fund"),
            high=100,
        ),
        chart=charts.bars(
            names,
            [
                charts.Series(_("Paid in the period"), [f.paid_in_period for f in funds]),
                charts.Series(_("Paid in all"), [f.paid_by_end for f in funds]),
                charts.Series(_("Budget"), [f.budget for f in funds]),
            ],
            chart_id="money",
            title=_("Paid in the period and in all, against the budget"),
            desc=_("For each fund, a bar for what it paid in the period, what it has paid in all, and its budget."),
            fmt=charts.money,
            label_heading=_("Fund"),
        ),
    )


def _fund_names(funds: list[director.FundMoney]) -> list[str]:
    """Each fund's name, with its award number only where two funds share a name (a long label is cut
    short in a chart drawn at a phone's width)."""
    shared = {f.name for f in funds if sum(other.name == f.name for other in funds) > 1}
    return [f"{f.name} ({f.award_number})" if f.name in shared else f.name for f in funds]


def _share(part, whole) -> int:
    return round(part * 100 / whole) if whole else 0


def _percent(value) -> str:
    return _("%(percent)s%%") % {"percent": charts.count(value)}


def services(user: User, period: Period) -> Section:
    groups = director.services(user, period)
    labels = dict(Service.Group.choices)
    return Section(
        slug="services",
        title=_("Services given by category"),
        note=_(
            "Services ticked on contacts and those implied by other records (payments, stays, referrals, safety "
            "plans), once per case, service and day; a survivor is counted once in each category."
        ),
        chart=charts.bars(
            [labels[g.group] for g in groups],
            [
                charts.Series(_("Times given"), [g.times for g in groups]),
                charts.Series(_("Survivors"), [g.people for g in groups]),
            ],
            chart_id="services",
            title=_("Services given by category"),
            desc=_("For each category, a bar for the times services were given and one for the survivors given them."),
            label_heading=_("Category"),
        ),
    )


def outreach(user: User, period: Period) -> Section:
    months = director.outreach(user, period)
    return Section(
        slug="outreach",
        title=_("Outreach"),
        note=_("Outreach sessions by the month they began in, and the people contacted on them."),
        chart=charts.bars(
            [_month(m.month) for m in months],
            [
                charts.Series(_("Sessions"), [m.sessions for m in months]),
                charts.Series(_("People contacted"), [m.people for m in months]),
            ],
            chart_id="outreach",
            title=_("Outreach sessions and people contacted by month"),
            desc=_(
                "For each month, a bar for the sessions and one for the people contacted, each against its own "
                "largest month."
            ),
            label_heading=_("Month"),
            own_scale=True,
        ),
    )


def training(user: User, period: Period) -> Section:
    months = director.training(user, period)
    return Section(
        slug="training",
        title=_("Training"),
        note=_(
            "Training events by the month they began in, and the people trained: the head count given, "
            "else the sign-in list."
        ),
        chart=charts.bars(
            [_month(m.month) for m in months],
            [
                charts.Series(_("Trainings"), [m.sessions for m in months]),
                charts.Series(_("People trained"), [m.people for m in months]),
            ],
            chart_id="training",
            title=_("Trainings and people trained by month"),
            desc=_(
                "For each month, a bar for the trainings held and one for the people trained, each against its "
                "own largest month."
            ),
            label_heading=_("Month"),
            own_scale=True,
        ),
    )


# In the page's order; the keys are the CSVs' names.
SECTIONS: dict[str, Callable[[User, Period], Section]] = {
    "referrals": referrals,
    "phases": phases,
    "closure-reasons": closure_reasons,
    "living-situations": living_situations,
    "money": money,
    "services": services,
    "outreach": outreach,
    "training": training,
}


def sections(user: User, period: Period) -> list[Section]:
    return [build(user, period) for build in SECTIONS.values()]
