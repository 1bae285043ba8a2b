"""What waits on a person's decision: closures, money, phase sign-offs and requests for help.

Each queue is the one its own page lists (``closures_to_approve``, ``to_approve``,
``reviews_to_sign_off``, ``intake_requests_for``), so a count and the page it links to
cannot disagree. All four are counted in one query, since the navigation shows them on
every page of those who decide.
"""

import hashlib
import itertools
import weakref
from dataclasses import dataclass

from django.db import connections
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


# The label and the page of each queue, in the order the navigation lists them.
_PAGES = {
    "closures": (_("Closures to approve"), lambda: reverse("cases:closure_queue")),
    # The approval tab narrowed to the person's turn (``?mine=1``) lists exactly ``to_approve``.
    "money": (_("Money to approve"), lambda: f"{reverse('assistance:queue', args=['approval'])}?mine=1"),
    "sign_offs": (_("Phase moves to sign off"), lambda: reverse("phases:review_queue")),
    "intake": (_("Requests for help waiting"), lambda: reverse("cases:intake_requests")),
}


def _queues(user: User) -> list[tuple[str, QuerySet]]:
    """(key, queryset) of each queue ``user`` works, in the order of ``_PAGES``."""
    queues = []
    if case_permissions.may_approve_closures(user):
        queues.append(("closures", case_permissions.closures_to_approve(user)))
    if assistance_access.holds(user, assistance_access.APPROVE) or assistance_access.holds(
        user, assistance_access.APPROVE_LARGE
    ):
        queues.append(("money", assistance_access.to_approve(user)))
    if may_sign_off(user):
        queues.append(("sign_offs", phase_queries.reviews_to_sign_off(user)))
    if case_permissions.can_open_cases(user):
        queues.append(("intake", case_permissions.intake_requests_for(user)))
    return queues


def _counted(queryset: QuerySet) -> Subquery:
    """``queryset``'s number of rows as a subquery: distinct rows when it is distinct (its joins
    may repeat a row), else every row, counted where it stands (no second pass over its table)."""
    rows = queryset.order_by()
    distinct = rows.query.distinct
    rows.query.distinct = False
    # COUNT(*) reads no column, so an index holding the columns the queue filters on counts it
    # alone (the money queue's, ``assistance_request_to_approve``); COUNT(id) would visit rows.
    count = Count("pk", distinct=True) if distinct else Count("*")
    counted = rows.values(one=Value(1)).annotate(n=count).values("n")
    return Coalesce(Subquery(counted[:1]), 0, output_field=IntegerField())


@dataclass(frozen=True)
class _Counting:
    keys: tuple[str, ...]  # the queues the person works
    sql: str | None  # counts those that can hold anything, in the order of ``counted``
    params: tuple
    counted: tuple[str, ...]


# The counting query of each person as they are, compiled once per process: building the four
# querysets through the choke point and compiling them costs far more than running them. The
# query is a function of the person's id, whether they are active or a superuser, and the
# permissions their roles and grants give (all the queue functions read; teams, assignments and
# grants on cases are subqueries in it): a change to any of these gives a new key. Only the SQL
# is kept; the numbers are counted afresh on every page.
_compiled: dict[tuple, _Counting] = {}
_COMPILED_MAX = 1000


def _shape(user: User) -> tuple:
    return (user.pk, user.is_active, user.is_superuser, frozenset(user.get_all_permissions()))


def _counting(user: User) -> _Counting:
    shape = _shape(user)
    counting = _compiled.get(shape)
    if counting is None:
        queues = _queues(user)
        live = {key: queryset for key, queryset in queues if not queryset.query.is_empty()}
        sql, params = None, ()
        if live:
            counts = User.objects.filter(pk=user.pk).order_by().values(**{key: _counted(q) for key, q in live.items()})
            sql, params = counts.query.sql_with_params()
        counting = _Counting(tuple(key for key, _queryset in queues), sql, tuple(params), tuple(live))
        if len(_compiled) >= _COMPILED_MAX:
            _compiled.clear()
        _compiled[shape] = counting
    return counting


# PostgreSQL plans the counting query (a dozen subqueries) each time it is sent, which costs
# about as much as running it; as a prepared statement it is planned once per connection
# (connections are kept for a minute). A statement lives on the server connection it was
# prepared on, so the names are remembered per connection object: a connection closed, lost or
# replaced is a new object, on which the statements are prepared afresh. Each preparing takes a
# new name, so a name never meets one left over from a failed attempt. Those who decide on one
# connection in its minute are few, but its statements are bounded all the same: the oldest goes.
_statements: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_names = itertools.count()
_STATEMENTS_MAX = 50


def _count(counting: _Counting) -> tuple:
    """The row of counts of ``counting``, in one round trip: prepared first on a new connection."""
    connection = connections[User.objects.db]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(counting.sql, counting.params)
            return cursor.fetchone()
        prepared = _statements.setdefault(connection.connection, {})
        name = prepared.get(counting)
        if name is not None:
            cursor.execute(f"EXECUTE {name}")
        else:
            # The person's values are part of the statement (the query is already one person's):
            # with no parameters left, its plan is made once and kept (PostgreSQL plans it again
            # itself when a table it reads is altered or analysed).
            # Named after what it runs as well: where a pooler hands one server connection to
            # several processes, a name can only ever mean this very statement.
            digest = hashlib.sha256(repr((counting.sql, counting.params)).encode()).hexdigest()[:24]
            name = f"bloom_to_decide_{digest}_{next(_names)}"
            retired = ""
            if len(prepared) >= _STATEMENTS_MAX:
                retired = f"DEALLOCATE {prepared.pop(next(iter(prepared)))}; "
            cursor.execute(f"{retired}PREPARE {name} AS {counting.sql}; EXECUTE {name}", counting.params)
            prepared[counting] = name
        return cursor.fetchone()


def waiting_on(user: User) -> Waiting:
    """The queues ``user`` works, each with how many wait for them, in one query."""
    counting = _counting(user)
    counts = {}
    if counting.sql is not None:
        counts = dict(zip(counting.counted, _count(counting), strict=True))
    queues = []
    for key in counting.keys:
        label, url = _PAGES[key]
        queues.append(Queue(key, label, url(), counts.get(key, 0)))
    return Waiting(queues)


def decides(user: User) -> bool:
    """Whether the navigation offers ``user`` the queues (no query: the roles are loaded for the menu)."""
    return bool(user and user.is_authenticated and any(user.has_role(role) for role in DECIDING_ROLES))


def for_request(request) -> Waiting:
    """``waiting_on`` the person signed in, counted once per request (the header and the page share it)."""
    if not hasattr(request, "_bloom_waiting"):
        user = request.user
        request._bloom_waiting = waiting_on(user) if user.is_authenticated else Waiting([])
    return request._bloom_waiting
