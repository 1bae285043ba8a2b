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
* An invisible record is a 404, the same answer as a missing one; a visible record the
  user may not change is a 403.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from bloom.accounts.models import Team, User
from cases import queries
from cases.models import Case, CaseGroupObjectPermission, CaseUserObjectPermission, Survivor

VIEW = "view_case"
CHANGE = "change_case"
ASSIGN = "assign_case"
# Role capabilities that apply to the cases the user can see.
SEE_HISTORY = "view_case_history"
SEE_ACCESS_LOG = "view_case_access_log"
SEE_SENSITIVE = "view_sensitive_details"
OVERRIDE_ELIGIBILITY = "override_eligibility"
# Capabilities that need sight of the case, and those that need the right to change it.
VIEW_CAPABILITIES = (SEE_HISTORY, SEE_ACCESS_LOG, SEE_SENSITIVE)
CHANGE_CAPABILITIES = (OVERRIDE_ELIGIBILITY,)

# What an assigned specialist and a team's supervisors may do on a case.
SPECIALIST_PERMS = (VIEW, CHANGE)
TEAM_PERMS = (VIEW, CHANGE, ASSIGN)


def _active(user) -> bool:
    # A superuser account exists to set the system up; being one grants no sight of
    # survivors. People see cases through their roles and assignments only.
    return bool(user and user.is_authenticated and user.is_active and not user.is_superuser)


def _program_wide(user: User, perm: str) -> bool:
    return user.has_perm(f"cases.{perm}")


def visible_cases(user: User, perm: str = VIEW) -> QuerySet[Case]:
    """The cases ``user`` may ``perm``, as a queryset to filter further."""
    if not _active(user):
        return Case.objects.none()
    if _program_wide(user, perm):
        return Case.objects.all()
    return get_objects_for_user(user, f"cases.{perm}", klass=Case, accept_global_perms=False, with_superuser=False)


def visible_survivors(user: User) -> QuerySet[Survivor]:
    """Survivors with at least one case ``user`` may see."""
    return Survivor.objects.filter(cases__in=visible_cases(user)).distinct()


def case_perms(user: User, case: Case) -> frozenset[str]:
    """Everything ``user`` may do on ``case``, in two queries at most.

    Holds ``view_case``/``change_case``/``assign_case`` as granted (program-wide or on
    this case), plus the role's capabilities that apply to it: ``view_case_history``,
    ``view_case_access_log`` and ``view_sensitive_details`` when the case is visible,
    ``override_eligibility`` when it may be changed.
    """
    if not _active(user):
        return frozenset()
    held = {perm for perm in TEAM_PERMS if _program_wide(user, perm)}
    if held != set(TEAM_PERMS):
        held |= set(ObjectPermissionChecker(user).get_perms(case)) & set(TEAM_PERMS)
    if VIEW in held:
        held |= {p for p in VIEW_CAPABILITIES if user.has_perm(f"cases.{p}")}
    if CHANGE in held:
        held |= {p for p in CHANGE_CAPABILITIES if user.has_perm(f"cases.{p}")}
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
    return _active(user) and user.has_perm(f"cases.{SEE_SENSITIVE}")


def can_override_eligibility(user: User, case: Case) -> bool:
    return OVERRIDE_ELIGIBILITY in case_perms(user, case)


def can_open_cases(user: User) -> bool:
    return _active(user) and user.has_perm("cases.add_case")


def get_case_for(user: User, pk, *, perm: str = VIEW) -> Case:
    """The case ``pk`` if ``user`` may see it, else ``Http404``.

    With ``perm`` other than view, a case the user can see but not ``perm`` raises
    ``PermissionDenied`` (403); one they cannot see is still a 404.
    """
    try:
        case = visible_cases(user).select_related("survivor", "team").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if perm != VIEW and not can(user, perm, case):
        raise PermissionDenied
    return case


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
    mine = visible_survivors(user).values("pk")
    matches = queries.similar_survivors(
        survivors.filter(pk__in=mine), names=names, date_of_birth=date_of_birth, limit=DUPLICATES_SHOWN
    )
    cases = []
    if matches:
        order = {m.pk: i for i, m in enumerate(matches)}
        cases = sorted(
            visible_cases(user).filter(survivor__in=list(order)).select_related("survivor", "team"),
            key=lambda case: (order[case.survivor_id], -case.pk),
        )
    hidden = queries.any_similar_survivor(survivors.exclude(pk__in=mine), names=names)
    return PossibleDuplicates(visible=cases[:DUPLICATES_SHOWN], hidden=hidden)


DUPLICATES_SHOWN = 5


# Granting ------------------------------------------------------------------------------
# Called only from cases.services, inside the service's transaction.


def grant_specialists(case: Case, specialists: Iterable[User]) -> None:
    for specialist in specialists:
        for perm in SPECIALIST_PERMS:
            assign_perm(f"cases.{perm}", specialist, case)


def revoke_specialists(case: Case, specialists: Iterable[User]) -> None:
    for specialist in specialists:
        for perm in SPECIALIST_PERMS:
            remove_perm(f"cases.{perm}", specialist, case)


def grant_team(case: Case, team: Team) -> None:
    for perm in TEAM_PERMS:
        assign_perm(f"cases.{perm}", team.group, case)


def revoke_team(case: Case, team: Team) -> None:
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
