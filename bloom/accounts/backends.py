"""Who is signed in, with what every page asks of them, in one query."""

import functools
import json

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Case, F, OuterRef, QuerySet, Value, When
from django.db.models.functions import Concat, JSONObject

from bloom.accounts.models import User
from bloom.notifications.queries import attach_header, header_rows


def _names(permissions) -> ArraySubquery:
    """``"app_label.codename"`` of each of ``permissions``, as ``has_perm`` names them."""
    return ArraySubquery(
        permissions.order_by().values(perm=Concat("content_type__app_label", Value("."), "codename")).distinct()
    )


def _loading() -> QuerySet[User]:
    """The users with their roles, permissions and the header's unread notifications."""
    everything = Permission.objects.all()
    return User.objects.annotate(
        _role_rows=ArraySubquery(
            Group.objects.filter(user=OuterRef("pk")).order_by().values(row=JSONObject(id=F("id"), name=F("name")))
        ),
        # A superuser holds every permission, as ModelBackend says.
        _own_perms=Case(
            When(is_superuser=True, then=_names(everything)),
            default=_names(Permission.objects.filter(user=OuterRef("pk"))),
        ),
        _role_perms=Case(
            When(is_superuser=True, then=_names(everything)),
            default=_names(Permission.objects.filter(group__user=OuterRef("pk"))),
        ),
        _header_rows=header_rows(),
    )


_ANY_ID = -7_000_000_001  # stands for the user's id while the query is compiled


@functools.cache
def _compiled() -> tuple[str, tuple, int]:
    """``_loading`` for one user, compiled once per process: its SQL, its parameters and where
    among them the user's id goes. The query is the same for everyone but the id, and building
    it from its expressions costs more than running it."""
    sql, params = _loading().filter(pk=_ANY_ID).order_by().query.sql_with_params()
    if params.count(_ANY_ID) != 1:
        raise RuntimeError("the user's id must be the query's one parameter of its value")
    return sql, tuple(params), params.index(_ANY_ID)


def signed_in(user_id) -> User | None:
    """The user ``user_id`` with their roles, their permissions and the header's unread
    notifications, read in one query on PostgreSQL (None if there is no such user).

    Loaded afresh on every request, so a role or a permission taken away counts from the next
    page on; nothing is kept between requests but the query's text. Elsewhere (the SQLite demo)
    the user alone, and the rest read when first asked, as Django does.
    """
    if connection.vendor != "postgresql":
        return User.objects.filter(pk=user_id).first()
    sql, params, at = _compiled()
    user_id = User._meta.pk.get_prep_value(user_id)
    params = (*params[:at], user_id, *params[at + 1 :])
    user = next(iter(User.objects.raw(sql, params)), None)
    if user is not None:
        _keep(user)
    return user


def _keep(user: User) -> None:
    """Keep what ``signed_in`` read where its readers look: ``User.has_role``, ModelBackend's
    permission caches (so ``has_perm`` asks nothing) and the header."""
    # Read raw, PostgreSQL's JSON arrives as text (Django reads jsonb so).
    roles = [json.loads(row) if isinstance(row, str) else row for row in user._role_rows]
    user._bloom_groups = [Group.from_db(user._state.db, ["id", "name"], (row["id"], row["name"])) for row in roles]
    user._user_perm_cache = set(user._own_perms)
    user._group_perm_cache = set(user._role_perms)
    user._perm_cache = user._user_perm_cache | user._group_perm_cache
    attach_header(user, [json.loads(row) if isinstance(row, str) else row for row in user._header_rows])
    del user._role_rows, user._own_perms, user._role_perms, user._header_rows


class RoleBackend(ModelBackend):
    """Django's ModelBackend, whose signed-in user comes with roles, permissions and the header's
    notifications already loaded (``signed_in``)."""

    def get_user(self, user_id):
        user = signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
