"""A survivor's copy of what Bloom holds about them, printed for them when they ask.

* this module: the registry of what the copy prints of each enrollment (``Scope``, ``Part``,
  ``register``). Each app registers its own parts in a ``survivor_copy`` module of its own,
  imported on first use (as ``bloom.privacy`` finds the apps' ``privacy`` modules), so that
  ``cases`` never imports ``phases`` or ``assistance`` and no ``AppConfig`` needs to wire them in.
  The service report's sections (``cases.service_report.sections``: services given, referrals,
  money and help in kind, housing stays, the phase journey) are printed too, over every day of the
  enrollment, unless a part here prints the same in full (``Part.replaces``).
* ``record``: what ``cases`` prints: who the survivor is, each enrollment, screenings, safety
  plans, contacts, stages of change, releases and the list of documents.
* ``printing``: the kind of report the worker builds (``bloom.reports.builders``), its parameters,
  what the access log says, and the PDF's context.

What is printed, and what is not:

* Everything recorded about the survivor themselves, in plain words: their details (the
  emergency contact too: the survivor chose them, and it is theirs to see), their answers, plans,
  goals in their own words, what they were given, what they signed, the list of their documents
  (titles, kinds and dates, never the files).
* **Other people's details are never printed**: family members served alongside them, the
  referring person, a minor's responsible adult, a private landlord or payee, the staff who
  recorded things (only the survivor's own specialists are named), and what describes the
  trafficker (whether they are still in contact, their methods of control).
* **Sensitive details** (immigration status, safety plans, the answer on immigration relief at
  closure) only when the person printing may see them (``Scope.sensitive``); the copy then says
  what was left out and that a specialist who may see it can print it.
* **Staff notes** (free text staff wrote: contact, referral, housing, review, closure and
  progress notes, what a payment was for, the screening's narrative) only when asked for by
  someone who may see sensitive details (``Scope.staff_notes``).

Like the service report's sections, each part loads every enrollment at once, in a fixed number
of queries however many contacts or services there are, and copies only what is printed into
small frozen records: a note is not even loaded unless it may be printed.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Scope:
    """What a copy covers, as each part must respect it."""

    case_ids: tuple[int, ...]  # the survivor's enrollments the person printing may see (``cases.permissions``)
    # Sensitive details may be printed: the person printing may see them.
    sensitive: bool
    # Staff notes may be printed: asked for, by someone who may see sensitive details.
    staff_notes: bool


@dataclass(frozen=True)
class Part:
    key: str
    title: str | Promise  # its heading, in plain words to the survivor
    template: str  # renders ``data``: what ``load`` gave for one enrollment
    # {case id: what is printed} for the enrollments of the scope that have something of it.
    load: Callable[[Scope], dict[int, Any]]
    order: int = 100
    # The service report's sections (their keys) this part prints in full instead.
    replaces: tuple[str, ...] = ()
    # Printed only when the person printing may see sensitive details; otherwise the copy says it
    # was left out (``left_out``, in the reader's words) rather than that there is nothing.
    sensitive: bool = False
    left_out: str | Promise = ""


PARTS: dict[str, Part] = {}


def register(part: Part) -> None:
    """Make ``part`` a part of every survivor's copy; called from an app's ``survivor_copy`` module."""
    if part.key in PARTS and PARTS[part.key] != part:
        raise ValueError(f"Two parts of the survivor's copy are called {part.key!r}")
    PARTS[part.key] = part


@cache
def discover() -> None:
    """Import every app's ``survivor_copy`` module, which registers its parts. Not run at import:
    those modules import their models, which needs the app registry ready."""
    autodiscover_modules("survivor_copy")


def registered() -> list[Part]:
    """Every part, in order."""
    discover()
    return sorted(PARTS.values(), key=lambda part: (part.order, part.key))


def by_case[Row, Copied](
    rows: Iterable[Row], copy: Callable[[Row], Copied], *, case: str = "case_id"
) -> dict[int, tuple[Copied, ...]]:
    """Each of ``rows`` copied into what is printed of it, gathered by its enrollment (the row's
    ``case`` attribute), in the rows' order: what a part's ``load`` returns."""
    printed: dict[int, list[Copied]] = defaultdict(list)
    for row in rows:
        printed[getattr(row, case)].append(copy(row))
    return {case_id: tuple(copied) for case_id, copied in printed.items()}


__all__ = ["PARTS", "Part", "Scope", "by_case", "discover", "register", "registered"]
