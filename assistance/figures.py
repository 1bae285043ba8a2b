"""What the dashboards count and the case list filters by from housing (``cases.figures``).

Registered by ``AssistanceConfig.ready``: the cases with a shelter or transitional stay near
its limit, or past it, by the rule the reminders follow (``services.housing.near_limit``).
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from assistance.models import HousingPlacement
from assistance.services import housing
from cases import figures
from cases.models import Case


def near_limit(today: date) -> Q:
    """Cases in intake or being served with an open stay whose limit is within its notice, or passed."""
    stays = HousingPlacement.objects.filter(housing.near_limit(today), case=OuterRef("pk"))
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
