"""What a case's overview shows of retention: what was purged and when, what falls due next,
the holds, and what the reader may do about them.

The case page (``cases``) cannot import ``retention``, which is built on it; its template
includes ``retention/_case_notice.html`` and ``retention/_case_panel.html``, which read
``case_retention`` here. Worked out once per case and page, however many times it is read.
"""

from dataclasses import dataclass, field
from datetime import date

from django import template
from django.utils.functional import Promise

from retention import access, schedule
from retention.forms import HoldForm, LiftForm
from retention.models import DeletionRequest, Hold, Level, Tombstone

register = template.Library()

_CACHED = "_retention_for_page"


@dataclass(frozen=True)
class Coming:
    what: str | Promise
    day: date
    held: bool


@dataclass(frozen=True)
class ActiveHold:
    hold: Hold
    lift_form: LiftForm | None  # for those who may lift it


@dataclass(frozen=True)
class CaseRetention:
    tombstone: Tombstone | None
    coming: list[Coming]
    holds: list[ActiveHold]
    can_hold: bool
    can_delete: bool
    deletion_waiting: DeletionRequest | None
    # Its own ids: the case page has other forms.
    hold_form: HoldForm = field(default_factory=lambda: HoldForm(auto_id="hold-%s"))

    @property
    def deleted(self) -> bool:
        return bool(self.tombstone and self.tombstone.deletion_id and self.tombstone.identity_purged_on)

    @property
    def deleted_on_request(self) -> bool:
        return self.deleted and self.tombstone.deletion.why == DeletionRequest.Why.ASKED

    @property
    def anything_to_hold(self) -> bool:
        """Whether a purge may still take something of the case (``services.place_hold`` refuses
        a hold on a case with nothing left), so the form is worth offering."""
        tombstone = self.tombstone
        if tombstone is None or tombstone.identity_purged_on is None:
            return True
        return bool(tombstone.audit_kept_until and not tombstone.audit_purged_on)


@register.filter
def narratives_purged_on(case) -> date | None:
    """The day ``case``'s narratives and notes were purged, or None: for the cards that showed
    them. Read from ``case_retention`` when the page has it, else one query."""
    found = getattr(case, _CACHED, None)
    tombstone = found.tombstone if found is not None else Tombstone.objects.filter(case=case).first()
    return tombstone.narratives_purged_on if tombstone else None


@register.simple_tag(takes_context=True)
def case_retention(context, case) -> CaseRetention:
    """The retention of ``case`` as the signed-in reader of the page may act on it."""
    found = getattr(case, _CACHED, None)
    if found is not None:
        return found
    user = context["user"]
    perms = context.get("case_perms")  # the case page's, else worked out here
    # Only a case that ended (or an intake deleted at once) has a tombstone; an open one has none.
    tombstone = None if case.is_open else Tombstone.objects.filter(case=case).select_related("deletion").first()
    coming = []
    if case.status in schedule.ENDED and not (tombstone and tombstone.identity_purged_on):
        labels = dict(Level.choices)
        coming = [Coming(labels[item.level], item.day, item.held) for item in schedule.case_schedule(case)]
    holds = Hold.objects.filter(case=case, lifted_at__isnull=True).select_related("placed_by")
    can_hold = access.can_hold(user, case, perms)
    can_delete = access.can_delete_record(user, case, perms)
    waiting = None
    if can_delete:
        waiting = DeletionRequest.objects.filter(
            survivor=case.survivor_id, status=DeletionRequest.Status.WAITING
        ).first()
    found = CaseRetention(
        tombstone=tombstone,
        coming=coming,
        holds=[ActiveHold(hold, LiftForm(auto_id=f"lift-{hold.pk}-%s") if can_hold else None) for hold in holds],
        can_hold=can_hold,
        can_delete=can_delete,
        deletion_waiting=waiting,
    )
    setattr(case, _CACHED, found)
    return found
