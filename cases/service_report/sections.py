"""The parts of a service report, and the registry the apps built on ``cases`` fill.

``cases`` cannot import ``assistance`` or ``phases``, yet the report prints money, housing,
the phase journey and goals; so each app registers its own ``Section`` from its
``AppConfig.ready``, as it does its timeline sources and its service rules.

A section loads what it prints for every case of the report at once (``Section.load``), in a
fixed number of queries whatever the number of cases, and gives it back as small frozen
records holding exactly what its template shows. A narrative (a note, what a payment was for,
a goal in the survivor's words) is copied into them only when ``Scope.notes`` says it may be,
so a template can never reach one by mistake: it is not loaded at all. Likewise a section that
prints a kind of information a release must cover (``Section.kind``: the case plan) is not
loaded for an organization no active release lets have it (``Scope.withheld_kinds``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True)
class Scope:
    """What a report covers, as each section must respect it."""

    case_ids: tuple[int, ...]  # already allowed by ``cases.permissions``
    start: date
    end: date  # included
    # Narratives may be printed: asked for, on an internal copy (never the survivor's own, never an
    # organization's), by someone who may see sensitive details.
    notes: bool
    # Details that point at the survivor beyond the client code (a referral's organization, a
    # private landlord's name, a shelter's) may be printed.
    identifying: bool
    # The survivor's own copy: where they stay (a shelter's, a landlord's name) is left off it, so
    # that a copy found by someone else does not tell where to find them.
    own_copy: bool = False
    # The kinds of information (``InformationKind``) no active release lets the organization the
    # report is for have: the sections that print one are left out. Empty for internal use and
    # the survivor's own copy.
    withheld_kinds: frozenset[str] = frozenset()

    def moments(self) -> tuple[datetime, datetime]:
        """The period as moments in the program's time zone: from its first day's start to the day after it."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise  # its heading on a staff copy
    own_title: str | Promise  # its heading on the survivor's own copy, in plain words to them
    template: str  # renders ``data``: what ``load`` gave for one case
    # {case id: what is printed} for the cases of ``scope`` that have something in the period.
    load: Callable[[Scope], dict[int, Any]]
    empty: str | Promise  # what is printed for a case with nothing in the period
    order: int = 100
    # The kind of information a release must cover (``InformationKind``) for an organization to be
    # sent it, if it prints more than what was given (the phase journey: the case plan); else None.
    kind: str | None = None


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    SECTIONS[section.key] = section


@dataclass(frozen=True)
class PrintedPart:
    title: str
    template: str
    data: Any  # None when the case has nothing of it in the period
    empty: str


def _ordered() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))


def left_out(withheld_kinds: frozenset[str]) -> dict[str, tuple[Section, ...]]:
    """The sections that print one of ``withheld_kinds``, by that kind, in order."""
    by_kind: dict[str, list[Section]] = {}
    for section in _ordered():
        if section.kind in withheld_kinds:
            by_kind.setdefault(section.kind, []).append(section)
    return {kind: tuple(sections) for kind, sections in by_kind.items()}


def parts(scope: Scope) -> dict[int, tuple[PrintedPart, ...]]:
    """Every section of every case of ``scope`` that may be printed, in order: one or two queries per section.

    A section left out (``Scope.withheld_kinds``) is not loaded, nor said to have nothing in the
    period: the report says why it is left out instead. Call it inside the language the report is
    printed in (headings are translated here).
    """
    printed = [section for section in _ordered() if section.kind not in scope.withheld_kinds]
    loaded = [(section, section.load(scope)) for section in printed]
    return {
        case_id: tuple(
            PrintedPart(
                title=str(section.own_title if scope.own_copy else section.title),
                template=section.template,
                data=by_case.get(case_id),
                empty=str(section.empty),
            )
            for section, by_case in loaded
        )
        for case_id in scope.case_ids
    }
