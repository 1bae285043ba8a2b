"""What the dashboards count and the case list filters by from housing (``cases.figures``).

Registered by ``AssistanceConfig.ready``: the cases with a shelter or transitional stay near
its limit, or past it, by the rule the reminders follow (``services.housing.stays_near_limit``).
"""

import calendar
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from assistance.models import HousingPlacement
from assistance.services.housing import LIMIT_MONTHS, NOTICE_DAYS, add_months
from cases import figures
from cases.models import Case


def latest_start(limit_by: date, months: int) -> date:
    """The last day a stay may have begun whose limit (``months`` after it) falls on ``limit_by`` or before.

    The limit of a stay begun on the 29th to the 31st of a month lands on the last day of a
    shorter month, so when ``limit_by`` is a month's last day, the whole month ``months``
    before it counts.
    """
    if limit_by.day == calendar.monthrange(limit_by.year, limit_by.month)[1]:
        first_after = add_months(limit_by.replace(day=1), -months + 1)
        return first_after - timedelta(days=1)
    return add_months(limit_by, -months)


def near_limit(today: date) -> Q:
    """Cases in intake or being served with an open stay whose limit is within its notice, or passed."""
    started = Q()
    for kind, months in LIMIT_MONTHS.items():
        started |= Q(kind=kind, started_on__lte=latest_start(today + timedelta(days=NOTICE_DAYS[kind]), months))
    stays = HousingPlacement.objects.filter(started, case=OuterRef("pk"), ended_on__isnull=True)
    return Q(status__in=[Case.Status.INTAKE, *Case.ACTIVE_STATUSES]) & Exists(stays)


def register() -> None:
    figures.register(
        figures.Figure(
            "housing_limit",
            _("Housing stay near or past its limit"),
            near_limit,
            figures.COMING_DUE,
            order=80,
            heading=_("Housing stays near their limit"),
        )
    )
