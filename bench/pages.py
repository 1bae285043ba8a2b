"""The pages `make bench` measures, and how often each role opens them.

Shared by the query-count probe (``bench.measure``, inside Django) and the load generator
(``bench/locustfile.py``), so both ask for exactly the same requests. No Django imports.
"""

import random
from dataclasses import dataclass, field
from urllib.parse import urlencode

# Pages whose 95th percentile must stay within this many milliseconds at 20 users.
P95_TARGETS_MS = {"home": 100, "case list": 100, "case detail": 100, "search": 50, "duplicate check": 50}
TARGET_PAGES = tuple(P95_TARGETS_MS)
FACE_SHEET_TARGET_MS = 1000


@dataclass(frozen=True)
class Page:
    kind: str  # what the page is; several kinds can be one view (the case list's variants)
    method: str
    path: str
    form: dict[str, str] = field(default_factory=dict)
    htmx: bool = False
    # Text every good answer contains: a sign-in form or an error page does not.
    expect: str = '<main id="main"'

    def label(self, role: str) -> str:
        return f"{self.kind} ({role})"

    @property
    def family(self) -> str:
        return family(self.kind)


def family(kind: str) -> str:
    """The page a target speaks of: the case list's search and filters are the case list too."""
    return "case list" if kind.startswith("case list") else kind


def split_label(label: str) -> tuple[str, str]:
    """``"case detail (specialist)"`` as ``("case detail", "specialist")``."""
    kind, _sep, role = label.rpartition(" (")
    return kind, role.rstrip(")")


def build(kind: str, persona: dict, rng: random.Random | None = None) -> Page:
    """The request for ``kind`` as ``persona`` would make it.

    Without ``rng`` the choice is fixed (the probe compares sizes with the same request);
    with it, a case, a search or a page is picked at random, as people do.
    """

    def pick(values):
        return rng.choice(values) if rng else values[0]

    def filtered() -> Page:
        query = {"team": pick(persona["teams"]), "status": "active"}
        if rng and rng.random() < 0.5:
            query["page"] = str(rng.randint(2, 10))
        return Page(kind, "GET", f"/cases/?{urlencode(query)}")

    makers = {
        "home": lambda: Page(kind, "GET", "/"),
        "case list": lambda: Page(kind, "GET", "/cases/"),
        # A search is posted by htmx as the person types; the answer is the results partial.
        "search": lambda: Page(
            kind,
            "POST",
            "/cases/",
            form={"q": pick(persona["searches"]), "status": "", "team": ""},
            htmx=True,
            expect='id="results"',
        ),
        "case list, filtered": filtered,
        # While a name is typed on the intake form: a near miss of someone's name, often
        # someone the person cannot see.
        "duplicate check": lambda: Page(
            kind,
            "POST",
            "/cases/duplicates/",
            form={"legal_name": pick(persona["names"])},
            htmx=True,
            expect="duplicate-check",
        ),
        "case detail": lambda: Page(kind, "GET", f"/cases/{pick(persona['cases'])}/"),
        "case history": lambda: Page(kind, "GET", f"/cases/{pick(persona['cases'])}/history/"),
        "admin changelist": lambda: Page(kind, "GET", "/bench-admin/cases/case/", expect='id="result_list"'),
    }
    if kind not in makers:
        raise ValueError(f"Unknown page: {kind}")
    return makers[kind]()


# Who opens what, and how often (relative weights within a role).
MIX: dict[str, dict[str, int]] = {
    "specialist": {
        "home": 3,
        "case list": 2,
        "search": 2,
        "duplicate check": 2,
        "case detail": 4,
        "case history": 1,
    },
    "supervisor": {"home": 3, "case list, filtered": 3, "search": 1, "case detail": 3, "case history": 1},
    "director": {"home": 3, "case list": 2, "case list, filtered": 2, "case detail": 2},
    # The baseline: Django's admin changelist over the same cases, first page, as a
    # small program would browse them.
    "admin": {"admin changelist": 1},
}

# How many of the simulated people have each role (relative weights; 12/4/2/2 of 20).
ROLE_WEIGHTS = {"specialist": 12, "supervisor": 4, "director": 2, "admin": 2}
