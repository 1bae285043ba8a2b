"""A case's timeline: everything that happened on it, newest first, in one paged list.

Each kind of event is a ``Source``: the rows of one model for a case and the moment each
happened. The page is one SQL ``UNION`` of (kind, id, moment) across the chosen sources,
ordered and cut to a page in the database; then each kind on the page is loaded in one
query. So a page costs the same few queries however long the case's story is.

Other apps add their events (phase moves, assistance) by calling ``register`` from their
``AppConfig.ready``; the timeline needs no change for them.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import CharField, DateTimeField, ExpressionWrapper, F, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Case

PAGE_SIZE = 25
# A day-only event (a referral's date, say) is placed at midday, so that it sorts among that
# day's timed events rather than at the edge of the previous day.
MIDDAY = timedelta(hours=16)  # 16:00 UTC is about midday in the program's time zones


@dataclass(frozen=True)
class Source:
    kind: str
    label: str | Promise
    rows: Callable[[Case], QuerySet]  # this kind's rows for a case
    at: str  # the field that says when it happened
    template: str  # renders one entry, given ``item``
    related: tuple[str, ...] = ()  # select_related when a page's rows are loaded
    # Added to the moment, to order events that share one (an outcome after its intake).
    later_by: timedelta = timedelta(0)

    def moments(self, case: Case) -> QuerySet:
        field = self.rows(case).model._meta.get_field(self.at)
        moment = F(self.at)
        if not isinstance(field, DateTimeField):
            moment = ExpressionWrapper(
                Cast(self.at, DateTimeField()) + (MIDDAY + self.later_by), output_field=DateTimeField()
            )
        return (
            self.rows(case)
            .order_by()
            .annotate(timeline_kind=Value(self.kind, output_field=CharField()), timeline_at=moment)
            .values_list("timeline_kind", "pk", "timeline_at")
        )


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add a kind of event to every case's timeline."""
    SOURCES[source.kind] = source


@dataclass
class Entry:
    kind: str
    at: datetime
    item: object
    template: str


def timeline_page(case: Case, *, kinds: list[str] | None = None, number=1) -> tuple[Page, list[Entry]]:
    """One page of ``case``'s events of ``kinds`` (all when empty), newest first, and its entries.

    The caller has checked that the case is visible.
    """
    chosen = [SOURCES[kind] for kind in (kinds or SOURCES) if kind in SOURCES]
    if not chosen:
        return Paginator([], PAGE_SIZE).get_page(1), []
    union = chosen[0].moments(case)
    if len(chosen) > 1:
        union = union.union(*(source.moments(case) for source in chosen[1:]), all=True)
    page = Paginator(union.order_by("-timeline_at", "-pk"), PAGE_SIZE).get_page(number)
    wanted = defaultdict(list)
    for kind, pk, _at in page.object_list:
        wanted[kind].append(pk)
    loaded = {}
    for kind, pks in wanted.items():
        source = SOURCES[kind]
        rows = source.rows(case).filter(pk__in=pks)
        for item in rows.select_related(*source.related) if source.related else rows:
            loaded[kind, item.pk] = item
    entries = [
        Entry(kind=kind, at=at, item=loaded[kind, pk], template=SOURCES[kind].template)
        for kind, pk, at in page.object_list
        if (kind, pk) in loaded
    ]
    return page, entries


def _this_case(case: Case) -> QuerySet[Case]:
    return Case.objects.filter(pk=case.pk)


for _source in (
    Source("intake", _("Intake"), _this_case, "opened_on", "cases/timeline/_intake.html", ("survivor",)),
    Source(
        "outcome",
        _("Enrollment decision"),
        lambda case: _this_case(case).filter(decided_on__isnull=False),
        "decided_on",
        "cases/timeline/_outcome.html",
        later_by=timedelta(seconds=1),
    ),
    Source(
        "contact",
        _("Contacts"),
        lambda case: case.contacts.all(),
        "occurred_at",
        "cases/timeline/_contact.html",
        ("recorded_by",),
    ),
    Source(
        "stage",
        _("Stages of change"),
        lambda case: case.stage_observations.all(),
        "observed_on",
        "cases/timeline/_stage.html",
        ("recorded_by",),
    ),
    Source(
        "screening",
        _("Screenings"),
        lambda case: case.screenings.all(),
        "screened_on",
        "cases/timeline/_screening.html",
        ("screened_by",),
    ),
    Source(
        "mandated report",
        _("Mandated reports"),
        lambda case: case.mandated_reports.all(),
        "made_at",
        "cases/timeline/_mandated_report.html",
    ),
    Source(
        "referral",
        _("Referrals"),
        lambda case: case.referrals.all(),
        "made_on",
        "cases/timeline/_referral.html",
        ("organization", "made_by"),
    ),
    Source(
        "release",
        _("Releases of information"),
        lambda case: case.releases.all(),
        "signed_on",
        "cases/timeline/_release.html",
        ("organization",),
    ),
    Source(
        "document",
        _("Documents"),
        lambda case: case.documents.all(),
        "uploaded_at",
        "cases/timeline/_document.html",
        ("uploaded_by", "deleted_by"),
    ),
    Source(
        "closure",
        _("Closure"),
        lambda case: case.closures.all(),
        "requested_at",
        "cases/timeline/_closure.html",
        ("requested_by", "decided_by"),
    ),
    Source(
        "handoff",
        _("Handoffs"),
        lambda case: case.handoffs.all(),
        "at",
        "cases/timeline/_handoff.html",
        ("from_team", "to_team", "by"),
    ),
):
    register(_source)
