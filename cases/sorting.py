"""The case list's columns and the orders each can be sorted in.

A sort is named in the address (``?sort=name``, ``?sort=-name`` for the reverse); a name that
is not a column gives the list's usual order, newest intake first, never an error. Every
order ends on the primary key, so pages never share or skip a case; empty values go last
both ways.
"""

from dataclasses import dataclass

from django.db.models import Case as CaseWhen  # the name Case is the model's
from django.db.models import F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.expressions import BaseExpression, OrderBy
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseAssignment

DEFAULT = "-opened"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    # What the rows are ordered by, first to last; built when sorting, so they may read annotations.
    order: tuple[str, ...]


def _display_name() -> BaseExpression:
    return Lower(Coalesce(NullIf("survivor__preferred_name", Value("")), "survivor__legal_name"))


def _status_rank() -> BaseExpression:
    # The order a case goes through, not the alphabet of the stored codes.
    return CaseWhen(*(When(status=value, then=Value(n)) for n, value in enumerate(Case.Status.values)))


def _first_specialist() -> BaseExpression:
    names = CaseAssignment.objects.filter(case=OuterRef("pk")).order_by("specialist__full_name")
    return Subquery(names.values("specialist__full_name")[:1])


COLUMNS = {
    column.key: column
    for column in (
        Column("code", _("Client code"), ("survivor__client_code",)),
        Column("name", _("Name"), ("sort_name",)),
        Column("status", _("Status"), ("sort_status",)),
        Column("team", _("Team"), ("team__name",)),
        Column("specialists", _("Specialists"), ("sort_specialist",)),
        Column("phase", _("Current phase"), ("phase_position", "phase_name", "phase_since")),
        Column("opened", _("Opened"), ("opened_on",)),
        Column("contact", _("Last contact"), ("last_contact_at",)),
    )
}
_SORT_ANNOTATIONS = {"sort_name": _display_name, "sort_status": _status_rank, "sort_specialist": _first_specialist}


def chosen(text: str | None) -> str:
    """The sort asked for if it names a column (reversed with a leading "-"), else the default."""
    text = (text or "").strip()
    return text if text.removeprefix("-") in COLUMNS else DEFAULT


def sorted_cases(cases: QuerySet[Case], sort: str) -> QuerySet[Case]:
    """``cases`` (annotated for the list: last contact, current phase) in the order ``sort`` names."""
    sort = chosen(sort)
    descending = sort.startswith("-")
    column = COLUMNS[sort.removeprefix("-")]
    needed = {name: _SORT_ANNOTATIONS[name]() for name in column.order if name in _SORT_ANNOTATIONS}
    if needed:
        cases = cases.annotate(**needed)
    return cases.order_by(*(_ordered(name, descending=descending) for name in (*column.order, "pk")))


def _ordered(name: str, *, descending: bool) -> OrderBy:
    # A column that is never empty is ordered without NULLS LAST: the same rows in the same
    # order, and PostgreSQL then reads them from a plain index in either direction
    # (``Case.Meta.indexes``) instead of sorting the whole table.
    if name == "pk" or (name in _CASE_COLUMNS and not Case._meta.get_field(name).null):
        return F(name).desc() if descending else F(name).asc()
    return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)


_CASE_COLUMNS = {field.name for field in Case._meta.concrete_fields}


def headers(sort: str) -> list[dict]:
    """Each column's heading: its label, the sort a click asks for, and its ``aria-sort``."""
    sort = chosen(sort)
    result = []
    for key, column in COLUMNS.items():
        if sort == key:
            state, next_sort = "ascending", f"-{key}"
        elif sort == f"-{key}":
            state, next_sort = "descending", key
        else:
            state, next_sort = "none", key
        result.append({"key": key, "label": column.label, "sort": next_sort, "aria_sort": state})
    return result
