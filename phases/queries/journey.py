"""Reads for the case plan and its journey: where the survivor stands, the journey drawn, reviews to sign off.

Every function starts from a case the caller already loaded through ``cases.permissions``,
or from the user (``reviews_to_sign_off``), so nothing here can reach a case its reader
may not see.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bloom.accounts.models import User
from bloom.times import add_months
from cases import permissions
from cases.models import Case
from phases.models import CasePlan, Phase, PhaseReview, PhaseStay, PhaseTemplate
from phases.services.journey import may_sign_off


def plan_of(case: Case) -> CasePlan | None:
    """``case``'s plan with its template and who started it, or None."""
    return CasePlan.objects.select_related("template", "started_by").filter(case=case).first()


def stays_of(plan: CasePlan) -> list[PhaseStay]:
    """The journey: each time in a phase, oldest first, with who moved the survivor and why."""
    return list(
        plan.stays.select_related("phase", "by", "review__requested_by", "review__decided_by").order_by(
            "entered_on", "pk"
        )
    )


def phases_of(template: PhaseTemplate) -> list[Phase]:
    return list(template.phases.order_by("position"))


def reviews_of(plan: CasePlan) -> list[PhaseReview]:
    """Every review asked for on the plan, newest first."""
    return list(
        plan.reviews.select_related("from_phase", "to_phase", "requested_by", "decided_by").order_by(
            "-requested_at", "-pk"
        )
    )


def reviews_to_sign_off(user: User) -> QuerySet[PhaseReview]:
    """Moves waiting for ``user``'s sign-off: on cases they may decide on, with the permission, not their own.

    The same rule as the sign-off itself, as a queryset for a queue or a count. Cases
    reached only through emergency access are left out: it never decides.
    """
    if not may_sign_off(user):
        return PhaseReview.objects.none()
    cases = permissions.visible_cases(user, permissions.CHANGE, emergency=False).values("pk")
    return PhaseReview.objects.filter(status=PhaseReview.Status.WAITING, plan__case__in=cases).exclude(
        requested_by=user
    )


def templates_overview() -> QuerySet[PhaseTemplate]:
    """Every template, the one in use first, with how many phases it has and how many plans follow it."""
    return PhaseTemplate.objects.annotate(
        phase_count=Count("phases", distinct=True), plan_count=Count("plans", distinct=True)
    ).order_by("-in_use", "name")


# Time in plain words ------------------------------------------------------------------------


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is in the same month-length)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def time_in_words(start: date, end: date) -> str:
    """How long from ``start`` to ``end``, as a person would say it: days, then weeks, then months."""
    days = (end - start).days
    if days < 14:
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    if days < 9 * 7:
        weeks = days // 7
        return ngettext("%(n)s week", "%(n)s weeks", weeks) % {"n": weeks}
    months = months_between(start, end)
    return ngettext("%(n)s month", "%(n)s months", months) % {"n": months}


@dataclass(frozen=True)
class Standing:
    """Where the survivor stands on the plan today."""

    current: PhaseStay
    time_in_phase: str
    month: int  # the month of the plan the survivor is in, from 1
    expected_months: int
    past_expected: bool


def standing(plan: CasePlan, stays: list[PhaseStay], today: date) -> Standing:
    current = next(stay for stay in stays if stay.left_on is None)
    month = months_between(plan.started_on, today) + 1
    return Standing(
        current=current,
        time_in_phase=time_in_words(current.entered_on, today),
        month=month,
        expected_months=plan.expected_months,
        past_expected=month > plan.expected_months,
    )


# The journey drawn ---------------------------------------------------------------------------

# Coordinates in the SVG's own units; it scales to the page's width.
CHART_WIDTH = 720
LABEL_WIDTH = 150
ROW_HEIGHT = 36
BAR_HEIGHT = 22
TOP = 12
AXIS_SPACE = 40
# One colour per phase position, from the design tokens, each at least 3:1 against white.
FILLS = ("#0d5c63", "#1f58a0", "#1e6b3e", "#9a5b00", "#6b3f8f", "#b3261e")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    fill: str
    label: str
    height: int = BAR_HEIGHT  # what a screen reader hears for this bar (the text list below says it too)


@dataclass(frozen=True)
class Row:
    y: float  # the row's middle, where its name is written
    name: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    rows: list[Row]
    bars: list[Bar]
    ticks: list[Tick]
    today_x: float
    expected_x: float
    axis_y: float
    summary: str

    @property
    def row_label_x(self) -> int:
        return self.plot_left - 8

    @property
    def tick_end_y(self) -> float:
        return self.axis_y + 5

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 18

    @property
    def marker_label_y(self) -> float:
        return self.axis_y + 34


def journey_chart(plan: CasePlan, stays: list[PhaseStay], phases: list[Phase], today: date) -> Chart:
    """The journey as a horizontal chart: a row per phase, a bar per time in it, time left to right.

    A move back shows as the bar stepping up a row; the line marked "expected end" is
    where the plan's expected length runs out. Pure arithmetic, so the page and its PDF
    can draw the same picture.
    """
    expected_end = add_months(plan.started_on, plan.expected_months)
    end = max(today, expected_end)
    span = max((end - plan.started_on).days, 1)
    plot_left, plot_right = LABEL_WIDTH, CHART_WIDTH - 30  # room for the last tick's label, centred on it

    def x(day: date) -> float:
        return round(plot_left + (plot_right - plot_left) * (day - plan.started_on).days / span, 1)

    row_of = {phase.pk: index for index, phase in enumerate(phases)}
    rows = [
        Row(y=TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2, name=phase.local("name")) for index, phase in enumerate(phases)
    ]
    bars = []
    for stay in stays:
        left, right = x(stay.entered_on), x(stay.left_on or today)
        index = row_of.get(stay.phase_id, 0)
        until = date_format(stay.left_on) if stay.left_on else _("today")
        bars.append(
            Bar(
                x=left,
                y=TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                width=max(right - left, 3),  # a stay of a day is still seen
                fill=FILLS[index % len(FILLS)],
                label=_("%(phase)s, from %(start)s to %(end)s")
                % {"phase": stay.phase.local("name"), "start": date_format(stay.entered_on), "end": until},
            )
        )
    axis_y = TOP + len(phases) * ROW_HEIGHT + 4
    ticks = [
        Tick(x=x(add_months(plan.started_on, month)), label=_("Month %(n)s") % {"n": month + 1})
        for month in range(0, max(months_between(plan.started_on, end), 1) + 1, _tick_step(span))
    ]
    return Chart(
        width=CHART_WIDTH,
        height=int(axis_y + AXIS_SPACE),
        plot_left=plot_left,
        plot_right=plot_right,
        rows=rows,
        bars=bars,
        ticks=ticks,
        today_x=x(today),
        expected_x=x(expected_end),
        axis_y=axis_y,
        summary=ngettext(
            "The journey so far: %(count)s time in a phase since %(start)s.",
            "The journey so far: %(count)s times in a phase since %(start)s.",
            len(stays),
        )
        % {"count": len(stays), "start": date_format(plan.started_on)},
    )


def _tick_step(span_days: int) -> int:
    # About six labels across, whatever the length of the plan.
    return max(1, round(span_days / 30.4 / 6))
