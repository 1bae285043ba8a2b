"""The case timeline's entries for money, help in kind and housing.

Registered with ``cases.timeline`` from ``AssistanceConfig.ready``: a request for money when
it was made (with where it stands now), help given in kind, and each housing stay when it
began. Amounts and payees, never more than the case's own pages show.
"""

from django.utils.translation import gettext_lazy as _

from assistance.models import AssistanceRequest, HousingPlacement, InKindItem
from cases.timeline import Source

REQUESTS = Source(
    "assistance request",
    _("Money requested"),
    lambda case: AssistanceRequest.objects.filter(case=case),
    "requested_at",
    "assistance/timeline/_request.html",
    ("requested_by", "fund"),
)
HELP = Source(
    "help in kind",
    _("Help in kind"),
    lambda case: InKindItem.objects.filter(case=case),
    "given_on",
    "assistance/timeline/_item.html",
    ("given_by",),
)
STAYS = Source(
    "housing stay",
    _("Housing"),
    lambda case: HousingPlacement.objects.filter(case=case),
    "started_on",
    "assistance/timeline/_stay.html",
    ("provider", "recorded_by"),
)
SOURCES = (REQUESTS, HELP, STAYS)
