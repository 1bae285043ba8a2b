"""Reads. The directory holds public partner details, not survivor data, so every staff
member sees the same list; each function still takes a queryset and returns a narrower one."""

from django.db.models import QuerySet

from bloom.directory.models import Organization


def listed(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """The organizations that are in the directory (not taken out of it)."""
    return organizations.filter(is_active=True)


def offering(organizations: QuerySet[Organization], service: str) -> QuerySet[Organization]:
    """Organizations whose services include ``service``.

    ``services`` is a JSON list, and SQLite (the demo's database) has no JSON containment
    lookup, so this matches the stored text instead. Each value is written with its double
    quotes and no value contains one, so ``"other"`` matches the whole value only.
    """
    return organizations.filter(services__icontains=f'"{service}"')


def filtered(
    organizations: QuerySet[Organization], *, q: str, kind: str, service: str, open_24_7: bool
) -> QuerySet[Organization]:
    """The directory list's search and filters; an empty value leaves that filter off."""
    if q.strip():
        organizations = organizations.filter(name__icontains=q.strip())
    if kind:
        organizations = organizations.filter(kind=kind)
    if service:
        organizations = offering(organizations, service)
    if open_24_7:
        organizations = organizations.filter(open_24_7=True)
    return organizations


def for_list(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """What the directory list shows, in a fixed number of queries however many rows."""
    return organizations.select_related("town").order_by("name", "pk")
