"""The pages `make bench` measures, and how often each role opens them.

Shared by the query-count probe (``bench.measure``, inside Django) and the load generator
(``bench/locustfile.py``), so both ask for exactly the same requests. No Django imports.
"""

import random
from dataclasses import dataclass, field
from urllib.parse import urlencode

# Pages whose 95th percentile must stay within this many milliseconds at 20 users: gates.
P95_TARGETS_MS = {
    "home": 100,
    "case list": 100,
    "case detail": 100,
    "search": 100,
    "duplicate check": 100,
    "finance queue": 100,
    "fund page": 100,
    "team dashboard": 150,
    "program dashboard": 300,
}
TARGET_PAGES = tuple(P95_TARGETS_MS)
# Pages found by their URL name, not a path written here: ``bench.measure.personas`` resolves
# each (this module has no Django) and hands the paths to the probe and the load in each
# person's ``paths``; a name that does not resolve stops the run before anything is measured.
BY_NAME = {
    "team dashboard": "reports:team_dashboard",
    "program dashboard": "reports:program_dashboard",
}
# Also tabled on their own (p50, p95, queries at both sizes).
DASHBOARDS = tuple(BY_NAME)
# The main pages, one request at a time (the probe): server time at most this many times its
# own SQL time, and at most SERVER_MS_TARGET; a guide, not a gate.
MAIN_PAGES = tuple(page for page in TARGET_PAGES if page not in DASHBOARDS)
SERVER_TO_SQL_TARGET = 2
SERVER_MS_TARGET = 40
# Queries a signed-in request runs before the view's own work (session, user): at most this many.
BEFORE_VIEW_QUERIES_TARGET = 2
# The saturation step: the highest rate sustained with p95 under this, and the case list's
# rate at least this many times the admin changelist's over the same rows (a gate).
SATURATION_P95_MS = 250
# The saturation step looks no lower than this many requests a second (0 is reported below it).
SATURATION_LOWEST_RATE = 1.0
VERSUS_ADMIN_TARGET = 2
# The sizes the targets speak of; a smaller run says so beside them.
TARGET_DATASET = {"survivors": 10_000, "contacts": 100_000, "access log entries": 300_000}
FACE_SHEET_TARGET_MS = 1000
# The training results page and the period's PDF over 5,000 surveys (the state's evaluation size).
TRAINING_RESULTS_TARGET_MS = 500
TRAINING_PDF_TARGET_MS = 3000
# The victim-services report over a whole fiscal year, built in the report worker.
FUNDER_YEAR_TARGET_S = 3
FUNDER_YEAR_REPORT = "victim-services-quarterly"


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


# Pages with variants: "case list, filtered" is the case list, "finance queue, payment" the queue.
FAMILIES = ("case list", "finance queue")


def family(kind: str) -> str:
    """The page a target speaks of: the case list's filters are the case list too, the queue's tabs the queue."""
    return next((name for name in FAMILIES if kind.startswith(name)), kind)


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

    def queue(tab: str) -> Page:
        # Oldest need first, 25 a page; now and then someone pages on.
        query = f"?page={rng.randint(2, 10)}" if rng and rng.random() < 0.3 else ""
        return Page(kind, "GET", f"/assistance/queue/{tab}/{query}", expect='id="queue-heading"')

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
        # The assistance queue's two tabs: waiting for approval, and approved, waiting for payment.
        "finance queue": lambda: queue("approval"),
        "finance queue, payment": lambda: queue("payment"),
        # A fund's figures by category and its chart of payments by month.
        "fund page": lambda: Page(
            kind, "GET", f"/assistance/funds/{pick(persona['funds'])}/", expect='id="fund-remaining"'
        ),
        # The supervisor's dashboard, every team they supervise: a good answer shows a team's board.
        "team dashboard": lambda: Page(kind, "GET", persona["paths"][kind], expect='aria-labelledby="team-'),
        # The director's dashboard over its default period, the fiscal year to date: a good answer
        # shows its sections, each with the link to its CSV.
        "program dashboard": lambda: Page(kind, "GET", persona["paths"][kind], expect=".csv?"),
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
    "supervisor": {
        "home": 3,
        "case list, filtered": 3,
        "search": 1,
        "case detail": 3,
        "case history": 1,
        "finance queue": 1,
        "team dashboard": 2,
    },
    "director": {
        "home": 3,
        "case list": 2,
        "case list, filtered": 2,
        "case detail": 2,
        "finance queue": 1,
        "fund page": 1,
        "program dashboard": 2,
    },
    # Finance works the queue: second approvals, then payments, and watches the funds.
    "finance": {"finance queue": 3, "finance queue, payment": 3, "fund page": 2},
    # The baseline: Django's admin changelist over the same cases, first page, as a
    # small program would browse them.
    "admin": {"admin changelist": 1},
}

# How many of the simulated people have each role (relative weights; 10/4/2/2/2 of 20).
ROLE_WEIGHTS = {"specialist": 10, "supervisor": 4, "director": 2, "finance": 2, "admin": 2}
