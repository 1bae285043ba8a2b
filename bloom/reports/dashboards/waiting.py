"""What waits on a person's decision: closures, money, phase sign-offs and requests for help.

Each queue is the one its own page lists (``closures_to_approve``, ``to_approve``,
``reviews_to_sign_off``, ``intake_requests_for``), so a count and the page it links to
cannot disagree. All four are counted in one query, since the navigation shows them on
every page of those who decide.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assistance import access as assistance_access
from bloom.accounts.models import Role, User
from cases import permissions as case_permissions
from phases.queries import journey as phase_queries
from phases.services.journey import may_sign_off

# The roles the navigation shows the queues to: they decide on cases (read from the roles
# already loaded for the menu, so pages of other people cost no query).
DECIDING_ROLES = (Role.SUPERVISOR, Role.PROGRAM_DIRECTOR)


@dataclass(frozen=True)
class Queue:
    key: str
    label: str | Promise
    url: str
    count: int


@dataclass(frozen=True)
class Waiting:
    queues: list[Queue]  # only those the person works, in a fixed order

    @property
    def total(self) -> int:
        return sum(queue.count for queue in self.queues)

    def __bool__(self) -> bool:
        return bool(self.queues)


def _queues(user: User) -> list[tuple[str, str | Promise, str, QuerySet]]:
    """(key, label, page, queryset) of each queue ``user`` works."""
    queues = []
    if case_permissions.may_approve_closures(user):
        queues.append(
            ("closures", _("Closures to approve"), reverse("cases:closure_queue"),
             case_permissions.closures_to_approve(user))
        )  # fmt: skip
    if assistance_access.holds(user, assistance_access.APPROVE) or assistance_access.holds(
        user, assistance_access.APPROVE_LARGE
    ):
        # The approval tab narrowed to the person's turn (``?mine=1``) lists exactly ``to_approve``.
        url = f"{reverse('assistance:queue', args=['approval'])}?mine=1"
        queues.append(("money", _("Money to approve"), url, assistance_access.to_approve(user)))
    if may_sign_off(user):
        queues.append(
            ("sign_offs", _("Phase moves to sign off"), reverse("phases:review_queue"),
             phase_queries.reviews_to_sign_off(user))
        )  # fmt: skip
    if case_permissions.can_open_cases(user):
        queues.append(
            ("intake", _("Requests for help waiting"), reverse("cases:intake_requests"),
             case_permissions.intake_requests_for(user))
        )  # fmt: skip
    return queues


def _counted(queryset: QuerySet) -> Subquery:
    """``queryset``'s number of rows as a subquery (its joins may repeat a row: counted once)."""
    rows = queryset.model.objects.filter(pk__in=queryset.values("pk"))
    return Coalesce(
        Subquery(rows.order_by().values(one=Value(1)).annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def waiting_on(user: User) -> Waiting:
    """The queues ``user`` works, each with how many wait for them, in one query."""
    queues = _queues(user)
    live = {key: queryset for key, _label, _url, queryset in queues if not queryset.query.is_empty()}
    counts = {}
    if live:
        counts = User.objects.filter(pk=user.pk).values(**{k: _counted(q) for k, q in live.items()}).get()
    return Waiting([Queue(key, label, url, counts.get(key, 0)) for key, label, url, _queryset in queues])


def decides(user: User) -> bool:
    """Whether the navigation offers ``user`` the queues (no query: the roles are loaded for the menu)."""
    return bool(user and user.is_authenticated and any(user.has_role(role) for role in DECIDING_ROLES))


def for_request(request) -> Waiting:
    """``waiting_on`` the person signed in, counted once per request (the header and the page share it)."""
    if not hasattr(request, "_bloom_waiting"):
        user = request.user
        request._bloom_waiting = waiting_on(user) if user.is_authenticated else Waiting([])
    return request._bloom_waiting
