"""The case timeline's entries for the phase journey: each time the survivor entered a phase.

Registered with ``cases.timeline`` from ``PhasesConfig.ready``, so the case timeline shows
the start of the plan, every move forward (with who signed it off) and every move back
(with its reason) among the case's other events.
"""

from django.utils.translation import gettext_lazy as _

from cases.timeline import Source
from phases.models import PhaseStay

MOVES = Source(
    "phase move",
    _("Case plan phases"),
    lambda case: PhaseStay.objects.filter(plan__case=case),
    "entered_on",
    "phases/_journey_timeline_entry.html",
    ("phase", "by", "review__requested_by", "review__decided_by"),
)
