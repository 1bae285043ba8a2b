"""Reads about people and what their roles let them do."""

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, QuerySet

from bloom.accounts.models import User


def holders(perm: str) -> QuerySet[User]:
    """Active people (never a superuser account) whose role or own grants hold ``perm``
    (``"app_label.codename"``), in one query."""
    app_label, codename = perm.split(".")
    held = {"content_type__app_label": app_label, "codename": codename}
    by_role = Permission.objects.filter(group__user=OuterRef("pk"), **held)
    by_grant = Permission.objects.filter(user=OuterRef("pk"), **held)
    return User.objects.filter(Exists(by_role) | Exists(by_grant), is_active=True, is_superuser=False)
