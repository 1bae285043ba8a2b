"""The tabs of a case's pages: the case's own, and those other apps add.

``cases`` cannot import the apps built on it (``phases``, ``assistance``), so they add their
tab by calling ``register`` from their ``AppConfig.ready``. A tab says which of the case
permissions (from ``cases.permissions.case_perms``) a person needs to see it.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Section:
    key: str  # the ``tab`` a page passes to mark it current
    label: str | Promise
    url_name: str  # takes the case's pk
    needs: frozenset[str] = frozenset()  # every one of these case permissions
    order: int = 100  # tabs are shown by order, then as registered


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    SECTIONS[section.key] = section


def for_case(case, perms: frozenset[str]) -> list[tuple[str, Promise | str, str]]:
    """(key, label, url) of each added tab the holder of ``perms`` may open on ``case``."""
    shown = sorted((s for s in SECTIONS.values() if s.needs <= perms), key=lambda s: s.order)
    return [(s.key, s.label, reverse(s.url_name, args=[case.pk])) for s in shown]
