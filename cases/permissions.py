"""The one choke point for who may see and change survivor records.

Every read of a case, a survivor or anything hanging off a case starts here. This is the
only module that calls django-guardian (``models.py`` merely declares its direct
foreign-key tables).

The rules:

* A case is visible to its assigned specialists (user object permissions), to the
  supervisors of its team (object permissions on the team's group), and to anyone whose
  role holds the model permission program-wide (the program director).
* Everything that hangs off a case is visible exactly when the case is; a survivor is
  visible when one of their cases is.
* A **restricted** case is visible only to the people named on it: its assigned
  specialists and those named besides (``NamedPerson``). Naming never widens access (a
  named person must also reach the case through their team or role); it only narrows it.
  The whole team, its supervisors and the program director lose sight unless named.
* **Emergency access** lets a person whose role allows it open a case outside their reach,
  for a fixed time, after giving a reason (``services.open_in_emergency``). While it lasts
  they may see and change the case as an assigned specialist would. It never reaches a
  restricted case.
* An invisible record is a 404, the same answer as a missing one; a visible record the
  user may not change is a 403.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import BooleanField, Exists, Expression, ExpressionWrapper, Field, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, remove_perm

from bloom.access import active, get_or_404
from bloom.accounts.models import Team, User
from cases import queries
from cases.models import (
    Case,
    CaseAssignment,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    Closure,
    EmergencyAccess,
    IntakeRequest,
    NamedPerson,
    Survivor,
)

VIEW = "view_case"
CHANGE = "change_case"
ASSIGN = "assign_case"
# Role capabilities that apply to the cases the user can see.
SEE_HISTORY = "view_case_history"
SEE_ACCESS_LOG = "view_case_access_log"
SEE_SENSITIVE = "view_sensitive_details"
OVERRIDE_ELIGIBILITY = "override_eligibility"
APPROVE_CLOSURE = "approve_closure"
RESTRICT = "restrict_case"
# Capabilities that need sight of the case, the right to change it, or to assign it.
VIEW_CAPABILITIES = (SEE_HISTORY, SEE_ACCESS_LOG, SEE_SENSITIVE)
CHANGE_CAPABILITIES = (OVERRIDE_ELIGIBILITY, APPROVE_CLOSURE)
ASSIGN_CAPABILITIES = (RESTRICT,)
# A role capability that reaches past the caseload: opening a case in a crisis.
OPEN_IN_EMERGENCY = "open_in_emergency"
# What emergency access allows while it lasts, and the mark ``case_perms`` adds when the
# case is reached only through it (so the page can say so).
EMERGENCY_PERMS = (VIEW, CHANGE)
BY_EMERGENCY = "by_emergency_access"
# Changing the case's course (asking to close it, enrolling the survivor again): held with
# change_case through one's role or assignment, never through emergency access.
DECIDE = "decide_on_case"

# What an assigned specialist and a team's supervisors may do on a case.
SPECIALIST_PERMS = (VIEW, CHANGE)
TEAM_PERMS = (VIEW, CHANGE, ASSIGN)


def _program_wide(user: User, perm: str) -> bool:
    return user.has_perm(f"cases.{perm}")


def visible_cases(user: User, perm: str = VIEW, *, emergency: bool = True) -> QuerySet[Case]:
    """The cases ``user`` may ``perm``, as a queryset to filter further.

    With ``emergency=False``, leaves out the cases reached only by emergency access (for
    decisions that access does not allow).
    """
    if not active(user):
        return Case.objects.none()
    if _program_wide(user, perm):
        cases = Case.objects.all()
    else:
        cases = Case.objects.filter(_reached(user, perm, emergency=emergency and perm in EMERGENCY_PERMS))
    return cases.filter(_unrestricted_or_named(user))


def _reached(user: User, perm: str, *, emergency: bool) -> Q:
    """The cases ``user`` holds ``perm`` on: granted to them or to one of their groups (what
    guardian's ``get_objects_for_user`` reads, leaving out global permissions), or, with
    ``emergency``, opened by emergency access still running.

    Each an uncorrelated ``IN``, which PostgreSQL runs once and probes as a hash for every
    case: a correlated ``EXISTS`` ran once per case, and a UNION of the ids, though quicker
    for a short caseload, made the planner fetch and sort a whole team's cases for a page
    of 25.
    """
    # The permission as a value worked out once, the groups as a list to look in: joined to
    # either, the planner misjudged how many grants a team has and read them all, or looped.
    case_type = ContentType.objects.get_for_model(Case)
    permission = Permission.objects.filter(content_type=case_type, codename=perm).values("pk")[:1]  # unique
    own = CaseUserObjectPermission.objects.filter(user=user, permission=permission)
    groups = CaseGroupObjectPermission.objects.filter(
        group__in=User.groups.through.objects.filter(user=user).values("group_id"), permission=permission
    )
    reached = Q(pk__in=own.values("content_object_id")) | Q(pk__in=groups.values("content_object_id"))
    if emergency:
        running = EmergencyAccess.objects.filter(user=user, expires_at__gt=timezone.now())
        reached |= Q(pk__in=running.values("case_id"))
    return reached


def _unrestricted_or_named(user: User) -> Q:
    """No case of the outer case's survivor is restricted without naming ``user``.

    The survivor's details are shared by all their cases, so one restricted enrollment
    hides every other enrollment of the same survivor from those it does not name.
    """
    return ~Exists(_restricted_without(user).filter(survivor=OuterRef("survivor")))


def _restricted_without(user: User) -> QuerySet[Case]:
    """Restricted cases that name neither ``user`` as an assigned specialist nor besides."""
    assigned = CaseAssignment.objects.filter(case=OuterRef("pk"), specialist=user)
    named = NamedPerson.objects.filter(case=OuterRef("pk"), user=user)
    return Case.objects.filter(restricted=True).exclude(Exists(assigned)).exclude(Exists(named))


def restriction_hides(user: User, survivor_ref: str = "survivor") -> Exists:
    """Subquery expression: a restricted case of the survivor at ``survivor_ref`` (on the outer
    row) does not name ``user``. For rows seen past the caseload (a payment to make), to leave
    out who they are for.
    """
    return Exists(_restricted_without(user).filter(survivor=OuterRef(survivor_ref)))


def hidden_by_restriction(user: User, case: Case) -> bool:
    """Whether a restriction on ``case``, or on another case of its survivor, hides it from ``user``."""
    return _restricted_without(user).filter(survivor=case.survivor_id).exists()


def survivor_restricted(case: Case) -> bool:
    """Whether any case of ``case``'s survivor is restricted."""
    return Case.objects.filter(survivor=case.survivor_id, restricted=True).exists()


# What ``to_remind`` reads of each case; prefetch it when reminding about many cases at once.
TO_REMIND_PREFETCH = ("assignments", "team__supervisors", "named_people")


def to_remind(case: Case) -> list[int]:
    """Who a reminder about ``case`` goes to: its assigned specialists, or else its team's active
    supervisors (on a restricted case, only those it names), so a reminder never rests with nobody.

    Reads only the relations in ``TO_REMIND_PREFETCH``: no query when they are prefetched.
    """
    specialists = [assignment.specialist_id for assignment in case.assignments.all()]
    if specialists:
        return specialists
    supervisors = [supervisor.pk for supervisor in case.team.supervisors.all() if supervisor.is_active]
    if case.restricted:
        named = {named.user_id for named in case.named_people.all()}
        supervisors = [pk for pk in supervisors if pk in named]
    return supervisors


def named_among(case: Case, user_ids) -> list[int]:
    """Of ``user_ids``, those a restricted ``case`` names (all of them when it is not restricted).

    Notifications about a case go only to people it names, so a restricted case's client
    code never reaches the others.
    """
    user_ids = list(user_ids)
    if not case.restricted:
        return user_ids
    named = {*case.assignments.values_list("specialist_id", flat=True)}
    named |= {*case.named_people.values_list("user_id", flat=True)}
    return [user_id for user_id in user_ids if user_id in named]


def _emergency_grants(user: User, now: datetime) -> QuerySet[EmergencyAccess]:
    """Subquery: ``user``'s emergency access to the outer case, still running at ``now``."""
    return EmergencyAccess.objects.filter(case=OuterRef("pk"), user=user, expires_at__gt=now)


def has_emergency_access(user: User, case: Case) -> bool:
    return running_emergency_access(user, case) is not None


def running_emergency_access(user: User, case: Case) -> EmergencyAccess | None:
    """``user``'s emergency access to ``case`` that has not yet expired (the latest), if any."""
    return case.emergency_grants.filter(user=user, expires_at__gt=timezone.now()).order_by("-expires_at").first()


def visible_survivors(user: User) -> QuerySet[Survivor]:
    """Survivors with at least one case ``user`` may see."""
    return Survivor.objects.filter(pk__in=visible_cases(user).values("survivor_id"))


def teams_of(user: User) -> QuerySet[Team]:
    """The teams a user supervises or belongs to."""
    return Team.objects.filter(Q(supervisors=user) | Q(members=user)).distinct()


def teams_for(user: User) -> QuerySet[Team]:
    """Teams a user may put a case in: all for a program-wide assigner, else their own."""
    return Team.objects.all() if _program_wide(user, ASSIGN) else teams_of(user)


def case_perms(user: User, case: Case) -> frozenset[str]:
    """Everything ``user`` may do on ``case``, in a few queries (none when ``get_case_for`` gave
    ``case`` to the same user: the answer it worked out rides on the case).

    Holds ``view_case``/``change_case``/``assign_case`` as granted (program-wide, on this
    case, or by running emergency access), plus the role's capabilities that apply to it:
    ``view_case_history``, ``view_case_access_log`` and ``view_sensitive_details`` when the
    case is visible, ``override_eligibility`` and ``approve_closure`` when it may be
    changed, ``restrict_case`` when it may be assigned. Nothing at all on a restricted case
    that does not name ``user``.
    """
    if not active(user):
        return frozenset()
    if getattr(case, "perms_user_id", None) == user.pk:
        return case.perms
    held = {perm for perm in TEAM_PERMS if _program_wide(user, perm)}
    if held != set(TEAM_PERMS):
        held |= set(ObjectPermissionChecker(user).get_perms(case)) & set(TEAM_PERMS)
    if hidden_by_restriction(user, case):
        return frozenset()
    emergency = not set(EMERGENCY_PERMS) <= held and has_emergency_access(user, case)
    return _with_capabilities(user, held, emergency=emergency)


def _with_capabilities(user: User, granted: set[str], *, emergency: bool) -> frozenset[str]:
    """``granted`` (of ``TEAM_PERMS``, on a case no restriction hides from ``user``) with what
    running emergency access adds and the role's capabilities that follow from them."""
    held = set(granted)
    # Emergency access lets a person read and work on the case, not decide on it: no
    # approving its closure or overriding its eligibility.
    if emergency:
        held |= {*EMERGENCY_PERMS, BY_EMERGENCY}
    if VIEW in held:
        # Who opened the case, and why, stays with those who oversee it.
        shown = [p for p in VIEW_CAPABILITIES if not (emergency and p == SEE_ACCESS_LOG)]
        held |= {p for p in shown if user.has_perm(f"cases.{p}")}
    if CHANGE in held and not emergency:
        held |= {DECIDE, *(p for p in CHANGE_CAPABILITIES if user.has_perm(f"cases.{p}"))}
    if ASSIGN in held:
        held |= {p for p in ASSIGN_CAPABILITIES if user.has_perm(f"cases.{p}")}
    return frozenset(held)


def can(user: User, perm: str, case: Case) -> bool:
    """Whether ``user`` holds ``perm`` (``view_case``, ``change_case``, ``assign_case``) on ``case``."""
    return perm in case_perms(user, case)


def can_see_history(user: User, case: Case) -> bool:
    return SEE_HISTORY in case_perms(user, case)


def can_see_access_log(user: User, case: Case) -> bool:
    return SEE_ACCESS_LOG in case_perms(user, case)


def can_see_sensitive(user: User, case: Case) -> bool:
    return SEE_SENSITIVE in case_perms(user, case)


def may_see_sensitive(user: User) -> bool:
    """Whether the role may see sensitive details at all (for a record not yet made)."""
    return active(user) and user.has_perm(f"cases.{SEE_SENSITIVE}")


def can_override_eligibility(user: User, case: Case) -> bool:
    return OVERRIDE_ELIGIBILITY in case_perms(user, case)


def can_approve_closure(user: User, case: Case) -> bool:
    return APPROVE_CLOSURE in case_perms(user, case)


def may_approve_closures(user: User) -> bool:
    """Whether the role may approve closures at all (on the cases it may change)."""
    return active(user) and user.has_perm(f"cases.{APPROVE_CLOSURE}")


def closures_to_approve(user: User) -> QuerySet[Closure]:
    """Closure requests waiting for ``user``: on cases they may change, with the capability, not their own.

    The same rule as ``can_approve_closure``, as a queryset for a queue or a count.
    """
    if not may_approve_closures(user):
        return Closure.objects.none()
    return Closure.objects.filter(
        status=Closure.Status.REQUESTED, case__in=visible_cases(user, CHANGE, emergency=False).values("pk")
    ).exclude(requested_by=user)


def can_restrict(user: User, case: Case) -> bool:
    return RESTRICT in case_perms(user, case)


def may_open_in_emergency(user: User) -> bool:
    """Whether the role may open a case outside the caseload in a crisis."""
    return active(user) and user.has_perm(f"cases.{OPEN_IN_EMERGENCY}")


def case_for_emergency(user: User, client_code: str) -> Case | None:
    """The case a person may open in an emergency by the survivor's client code, if any.

    The survivor's latest case; ``None`` when the role may not use emergency access, the
    code is unknown, or any of the survivor's cases is restricted, all alike.
    Looks past the caseload on purpose: ``services.open_in_emergency`` logs the reason and
    tells the case's supervisors.
    """
    if not may_open_in_emergency(user):
        return None
    code = client_code.strip().upper()
    cases = Case.objects.filter(survivor__client_code=code)
    if cases.filter(restricted=True).exists():
        return None  # a survivor kept out of sight stays so, whichever enrollment is asked for
    return cases.select_related("survivor", "team").order_by("-opened_on", "-pk").first()


def restriction_candidates(case: Case) -> QuerySet[User]:
    """Who may be named on ``case`` when restricted: those who reach it without the restriction.

    The team's supervisors and people whose role sees every case (the program director),
    besides the assigned specialists, who are always named.
    """
    program_wide = Permission.objects.get(content_type__app_label="cases", codename=VIEW)
    return (
        User.objects.filter(
            Q(pk__in=case.team.supervisors.values("pk"))
            | Q(groups__permissions=program_wide)
            | Q(user_permissions=program_wide)
        )
        .filter(is_active=True, is_superuser=False)
        .distinct()
        .order_by("full_name")
    )


def can_open_cases(user: User) -> bool:
    return active(user) and user.has_perm("cases.add_case")


def intake_requests_for(user: User) -> QuerySet[IntakeRequest]:
    """Requests for help waiting in the intake queues ``user`` works.

    A team's queue is worked by its supervisors and members who may start an intake; the
    program director (program-wide sight of cases) sees every team's. Once an intake starts,
    the request belongs to its case and is read through the case.
    """
    if not can_open_cases(user):
        return IntakeRequest.objects.none()
    waiting = IntakeRequest.objects.filter(status=IntakeRequest.Status.WAITING)
    if _program_wide(user, VIEW):
        return waiting
    return waiting.filter(Q(team__supervisors=user) | Q(team__members=user)).distinct()


def get_intake_request_for(user: User, pk) -> IntakeRequest:
    """The waiting request ``pk`` if it is in one of ``user``'s queues, else ``Http404``."""
    return get_or_404(intake_requests_for(user).select_related("team", "passed_by"), pk=pk)


def get_case_for(user: User, pk, *, perm: str = VIEW) -> Case:
    """The case ``pk`` if ``user`` may see it, else ``Http404``.

    With ``perm`` other than view, a case the user can see but not ``perm`` raises
    ``PermissionDenied`` (403); one they cannot see is still a 404.

    The case comes with ``user``'s answer on it: ``case.perms`` (what ``case_perms`` gives)
    and ``case.perms_user_id``, so ``case_perms``, ``can`` and the ``can_*`` helpers answer
    again for this user, for the rest of the request, without a query. The case row, the
    grants, the restriction and any emergency access are read in one query.
    """
    if not active(user):
        raise Http404
    cases = Case.objects.select_related("survivor", "team").annotate(**_grant_columns(user, timezone.now()))
    case = get_or_404(cases, pk=pk)
    held, emergency = _reach(user, case)
    if VIEW not in held and not emergency:
        raise Http404
    case.perms = _with_capabilities(user, held, emergency=emergency)
    case.perms_user_id = user.pk
    if perm != VIEW and perm not in case.perms:
        raise PermissionDenied
    return case


def other_enrollments(user: User, case: Case) -> list[Case]:
    """The other cases of ``case``'s survivor that ``user`` may see, oldest first: the same
    answer as ``visible_cases``, read with the SQL ``get_case_for`` compiles once.

    Each holds only its id, status, survivor and the days it opened and closed.
    """
    if not active(user):
        return []
    cases = (
        Case.objects.filter(survivor=case.survivor_id)
        .exclude(pk=case.pk)
        .annotate(**_grant_columns(user, timezone.now()))
        .order_by("opened_on", "pk")
        .only("pk", "status", "opened_on", "closed_on", "survivor_id")
    )
    return [other for other in cases if _sees(user, other)]


def _sees(user: User, case: Case) -> bool:
    held, emergency = _reach(user, case)
    return VIEW in held or emergency


def _reach(user: User, case: Case) -> tuple[set[str], bool]:
    """Which of ``TEAM_PERMS`` ``user`` holds on ``case`` (annotated with ``_grant_columns``), and
    whether running emergency access adds to them. Nothing at all on a case a restriction hides.
    """
    if case.hidden_from_user:
        return set(), False
    if hasattr(case, "granted_to_user"):
        granted = {*case.granted_to_user, *case.granted_to_groups}
    else:  # one column a permission (``_grants_each``, SQLite)
        granted = {p for p in TEAM_PERMS if getattr(case, f"granted_{p}")}
    held = {p for p in TEAM_PERMS if _program_wide(user, p) or p in granted}
    return held, not set(EMERGENCY_PERMS) <= held and case.emergency_running


def _grants(user: User, now: datetime) -> dict[str, Expression]:
    """What ``case_perms`` reads of the outer case, as ``visible_cases`` reads it, as of ``now``.

    ``granted_to_user`` and ``granted_to_groups``: which of ``TEAM_PERMS`` the user, or one of
    their groups, holds on the case itself; ``hidden_from_user`` (by a restriction) and
    ``emergency_running``.
    """
    own = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename__in=TEAM_PERMS
    )
    groups = CaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), group__user=user, permission__codename__in=TEAM_PERMS
    )
    return {
        "granted_to_user": ArraySubquery(own.values("permission__codename")),
        "granted_to_groups": ArraySubquery(groups.values("permission__codename")),
        "hidden_from_user": restriction_hides(user),
        "emergency_running": Exists(_emergency_grants(user, now)),
    }


@dataclass(frozen=True)
class _Column:
    """One of ``_grants`` compiled: its SQL, and its parameters with the slots of the person and
    the instant to fill."""

    sql: str
    params: tuple
    person_at: tuple[int, ...]
    instant_at: tuple[int, ...]
    output_field: Field

    def bound(self, user: User, now: datetime) -> RawSQL:
        params = list(self.params)
        for i in self.person_at:
            params[i] = user.pk
        for i in self.instant_at:
            params[i] = now
        return RawSQL(self.sql, params, output_field=self.output_field)  # noqa: S611 (SQL the ORM compiled; values stay parameters)


# ``_grants`` compiled once per process: building and compiling its subqueries costs many times
# what running them does, on every page of a case. The SQL is the same for everyone at every
# instant; only the person's id and the instant, parameters, change. No data is kept.
_compiled_grants: dict[str, _Column] = {}


def _grant_columns(user: User, now: datetime) -> dict[str, Expression]:
    """``_grants(user, now)`` as annotations, from the SQL compiled once."""
    if connections[Case.objects.db].vendor != "postgresql":
        return _grants_each(user, now)
    if not _compiled_grants:
        _compiled_grants.update(_compile_grants())
    return {name: column.bound(user, now) for name, column in _compiled_grants.items()}


def _grants_each(user: User, now: datetime) -> dict[str, Expression]:
    """What ``_grants`` gives, where there are no arrays (SQLite, the demo): ``granted_<perm>``
    for each of ``TEAM_PERMS``, held by the user or one of their groups; built on each call."""
    columns = {}
    for perm in TEAM_PERMS:
        own = CaseUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"), user=user, permission__codename=perm
        )
        group = CaseGroupObjectPermission.objects.filter(
            content_object=OuterRef("pk"), group__user=user, permission__codename=perm
        )
        columns[f"granted_{perm}"] = ExpressionWrapper(Exists(own) | Exists(group), output_field=BooleanField())
    return {
        **columns,
        "hidden_from_user": restriction_hides(user),
        "emergency_running": Exists(_emergency_grants(user, now)),
    }


def _compile_grants() -> dict[str, _Column]:
    # Compiled for two made-up people at two instants: the parameters that differ are the
    # person's and the instant's, wherever the ORM put them.
    first = (User(pk=-1), datetime(2000, 1, 1, tzinfo=UTC))
    second = (User(pk=-2), datetime(2001, 1, 1, tzinfo=UTC))
    columns = {}
    for name, expression in _grants(*first).items():
        sql, params = _select_sql(name, expression)
        other_sql, other_params = _select_sql(name, _grants(*second)[name])
        if sql != other_sql or len(params) != len(other_params):
            raise RuntimeError(f"{name}: the SQL depends on more than the person and the instant")
        differ = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
        person_at = tuple(i for i in differ if params[i] == first[0].pk)
        instant_at = tuple(i for i in differ if params[i] == first[1])
        if len(person_at) + len(instant_at) != len(differ):
            raise RuntimeError(f"{name}: a parameter depends on more than the person and the instant")
        columns[name] = _Column(sql, tuple(params), person_at, instant_at, expression.output_field)
    return columns


def _select_sql(name: str, expression: Expression) -> tuple[str, tuple]:
    """The SQL of ``expression`` on a row of the case table (``"cases_case"``, as in any query
    that starts from it), and its parameters."""
    query = Case.objects.annotate(**{name: expression}).values(name).order_by()
    sql, params = query.query.sql_with_params()
    prefix, suffix = "SELECT ", f' AS "{name}" FROM "{Case._meta.db_table}"'
    if not (sql.startswith(prefix) and sql.endswith(suffix)):
        raise RuntimeError(f"{name}: unexpected SQL {sql!r}")
    return sql.removeprefix(prefix).removesuffix(suffix), tuple(params)


@dataclass(frozen=True)
class PossibleDuplicates:
    """What a person entering an intake may learn about existing records like it."""

    visible: list[Case]  # cases of matching survivors the user may open
    hidden: bool  # a match exists that the user may not see; nothing more is said about it


def possible_duplicates(
    user: User, *, names: list[str], date_of_birth: date | None, exclude_survivor: int | None = None
) -> PossibleDuplicates:
    """Survivors whose names are like ``names``: those ``user`` may see to open, and whether another exists.

    The only read that looks past the user's caseload: it must, to stop one survivor being
    registered twice. Of a survivor the user cannot see it reveals only that one exists,
    and only by a strong likeness of name: the birth date widens the search among the
    user's own records alone, so it cannot be used to guess a hidden person's birth date.
    """
    survivors = Survivor.objects.exclude(pk=exclude_survivor) if exclude_survivor else Survivor.objects.all()
    # Asked of each survivor alike by name, through the index on a case's survivor: cheaper than
    # listing every survivor the user sees to compare against.
    mine = Exists(visible_cases(user).filter(survivor=OuterRef("pk")))
    shown, hidden = queries.likely_duplicates(
        survivors, mine=mine, names=names, date_of_birth=date_of_birth, limit=DUPLICATES_SHOWN
    )
    cases = []
    if shown:
        # Their cases the user may open: ``visible_cases``'s answer, read as ``other_enrollments``
        # reads it, with the SQL compiled once.
        order = {pk: i for i, pk in enumerate(shown)}
        theirs = Case.objects.filter(survivor__in=shown).annotate(**_grant_columns(user, timezone.now()))
        cases = sorted(
            (case for case in theirs.select_related("survivor", "team") if _sees(user, case)),
            key=lambda case: (order[case.survivor_id], -case.pk),
        )
    return PossibleDuplicates(visible=cases[:DUPLICATES_SHOWN], hidden=hidden)


DUPLICATES_SHOWN = 5


# Granting ------------------------------------------------------------------------------
# Called only from cases.services, inside the service's transaction. Each drops the answer
# ``get_case_for`` left on the case: it no longer holds once the grants change.


def _forget_perms(case: Case) -> None:
    case.__dict__.pop("perms", None)
    case.__dict__.pop("perms_user_id", None)


def grant_specialists(case: Case, specialists: Iterable[User]) -> None:
    _forget_perms(case)
    for specialist in specialists:
        for perm in SPECIALIST_PERMS:
            assign_perm(f"cases.{perm}", specialist, case)


def revoke_specialists(case: Case, specialists: Iterable[User]) -> None:
    _forget_perms(case)
    for specialist in specialists:
        for perm in SPECIALIST_PERMS:
            remove_perm(f"cases.{perm}", specialist, case)


def grant_team(case: Case, team: Team) -> None:
    _forget_perms(case)
    for perm in TEAM_PERMS:
        assign_perm(f"cases.{perm}", team.group, case)


def revoke_team(case: Case, team: Team) -> None:
    _forget_perms(case)
    for perm in TEAM_PERMS:
        remove_perm(f"cases.{perm}", team.group, case)


def grant_in_bulk(cases: Iterable[Case]) -> None:
    """Grant what ``open_case`` would for many new cases at once (scale data, imports).

    Each case must carry ``team`` and a ``bulk_specialists`` list. Rows go straight into
    the direct foreign-key tables, a few thousand per query.
    """
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="cases", codename__in=TEAM_PERMS)}
    user_rows, group_rows = [], []
    for case in cases:
        group_rows += [
            CaseGroupObjectPermission(group_id=case.team.group_id, permission=perms[p], content_object=case)
            for p in TEAM_PERMS
        ]
        user_rows += [
            CaseUserObjectPermission(user=specialist, permission=perms[p], content_object=case)
            for specialist in case.bulk_specialists
            for p in SPECIALIST_PERMS
        ]
    CaseGroupObjectPermission.objects.bulk_create(group_rows, batch_size=2000)
    CaseUserObjectPermission.objects.bulk_create(user_rows, batch_size=2000)
