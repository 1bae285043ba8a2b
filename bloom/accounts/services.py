from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bloom import writes
from bloom.accounts.models import Team, User
from bloom.said import Said


@transaction.atomic
def create_team(*, name: str, by: User | None) -> Team:
    """Create a team with its own permission group (named after it, prefixed ``team:``)."""
    group = Group.objects.create(name=f"team:{name}")
    team = Team(name=name, group=group)
    team._history_user = by
    team._change_reason = str(Said("team.created"))
    team.save()
    return team


@transaction.atomic
def set_team_supervisors(team: Team, *, supervisors: list[User], by: User | None) -> None:
    """Make exactly these users the team's supervisors.

    Side effect: they join the team's group, which holds the object permissions on the
    team's cases, and former supervisors leave it (losing sight of those cases).
    """
    team._history_user = by
    team.supervisors.set(supervisors)
    wanted = {user.pk: user for user in supervisors}
    current = {user.pk: user for user in team.group.user_set.all()}
    # Changed from each user's side, so that every user's history records the change.
    for user in [u for pk, u in current.items() if pk not in wanted]:
        user._history_user = by
        user.groups.remove(team.group)
    for user in [u for pk, u in wanted.items() if pk not in current]:
        user._history_user = by
        user.groups.add(team.group)


@transaction.atomic
def set_team_members(team: Team, *, members: list[User], by: User | None) -> None:
    """Make exactly these users the team's members (the specialists who may take its cases)."""
    team._history_user = by
    team.members.set(members)


@transaction.atomic
def choose_language(user: User, *, language: str, by: User | None) -> None:
    """Make ``language`` the one Bloom's pages speak to ``user`` from their next page on.

    Side effect: a history row on the user, unless the language was theirs already.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    if writes.apply_changes(user, {"language": language}):
        writes.save(user, by=by, reason=Said("user.language_chosen"), fields=["language"])
