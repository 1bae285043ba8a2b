"""The HTML of the main pages, over a fixed program at the pinned instant, is what it was.

Work on speed (fewer queries, other query shapes, a leaner request pipeline) must not change
what anyone sees. One test builds the demo program (``cases.demo.seed_program``, 30 survivors:
two teams, open, closed and intake cases, contacts, plans, assistance, outreach and training),
opens each page of ``main_pages`` as the person who uses it, and compares its HTML with the copy
kept in ``tests/bloom/pages_unchanged/<page>.html``. Every page that differs is reported at
once, each with a unified diff; a page without a kept copy fails too.

When a change to what a page shows is intended, rewrite the copies and review them as part of
the change (``git diff tests/bloom/pages_unchanged``)::

    BLOOM_REWRITE_PAGES=1 make test-fast ARGS=tests/bloom/test_pages_unchanged.py

The test then writes every page, removes the copies no page names any more, and is reported
as skipped, so that a run with the variable set never passes for a real comparison.

The copies hold at the default instant only (``tests/clock.DEFAULT_AT``): the demo is dated
from today. Under ``--at`` the pages are still opened and must answer 200; the comparison is
skipped, with a reason naming ``--at``.
"""

import difflib
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assistance.models import Fund
from bloom.accounts.models import Team, User
from bloom.accounts.services import choose_language
from cases import demo, queries
from cases.models import Case
from cases.services.access import set_restriction
from cases.sorting import COLUMNS
from tests import clock

PAGES_DIR = Path(__file__).parent / "pages_unchanged"
REWRITE = os.environ.get("BLOOM_REWRITE_PAGES") == "1"
# Every sequence starts here before the program is built, so every key on the pages is the same
# from run to run. Far above the rows the migrations install, far below the 999999 that other
# tests use as a key no row has.
FIRST_KEY = 700_000
DIFF_LINES = 80

# What legitimately differs between two renderings of the same page, and nothing else:
# - the CSRF token: Django masks it afresh (with a random pad) each time a page asks for it;
# - the CSP nonce: drawn afresh for each response by Django's CSP middleware, wherever a template
#   uses ``csp_nonce`` (no template does yet; the pattern keeps such a page comparable).
VARYING = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")'), r"\1CSRF-TOKEN\2"),
    (re.compile(r'("X-CSRFToken": ")[^"]+(")'), r"\1CSRF-TOKEN\2"),
    (re.compile(r'(nonce=")[^"]+(")'), r"\1CSP-NONCE\2"),
]


@dataclass(frozen=True)
class Page:
    name: str  # also the file name of its kept copy
    who: User
    path: str
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)
    htmx: bool = False


def _start_every_sequence_at(first: int) -> None:
    """Every key the build draws, from the same start, whatever ran before on this database.

    Sequences are not rolled back with the transaction around the test, so keys differ by what
    ran earlier. ``setval`` is not transactional either: after the test the sequences stay past
    ``first``. That is harmless: no row of this test survives its rollback, the rows that do (the
    migrations') have keys far below ``first``, so no later insert collides, and each xdist worker
    has a database of its own.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(format('%%I.%%I', schemaname, sequencename)::regclass, %s, false) "
            "FROM pg_sequences WHERE schemaname = current_schema()",
            [first],
        )


@dataclass
class Program:
    people: dict[str, User]
    cases: dict[str, Case]
    hartford: Team
    fund: Fund


def build_program(settings, monkeypatch) -> Program:
    """The demo program, the same to the last key and client code on every run, and a
    restricted case that its team's supervisor is named on."""
    _start_every_sequence_at(FIRST_KEY)
    # Client codes are drawn with `secrets`, on purpose unpredictable. Here the draw comes from a
    # seeded generator (random.Random has the one method new_client_code calls, `choice`), so the
    # codes, and the case list's order by code, are the same on every run.
    monkeypatch.setattr("cases.models.core.secrets", random.Random(2026))  # noqa: S311 (made-up data)
    # Hashing the demo's passwords with Argon2 takes seconds; no page shows a hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.seed_program(survivors=30)
    people = {user.email.partition("@")[0]: user for user in User.objects.filter(email__endswith=demo.DEMO_DOMAIN)}

    def case(legal_name: str, status: str) -> Case:
        return Case.objects.get(survivor__legal_name=legal_name, status=status)

    cases = {
        "open": case("Grace Rivera", Case.Status.OPEN),
        "closed": case("Ana Kowalski", Case.Status.CLOSED),
        "restricted": case("Ivan Clarke", Case.Status.OPEN),
        # Reenrolled after a closure, nothing logged yet (the Suburbs team's).
        "no contacts": case("Jamal Clarke", Case.Status.OPEN),
        "overdue": case("Elena Cruz", Case.Status.OPEN),
        "intake": case("Brianna Fields", Case.Status.INTAKE),
        "in Spanish": case("Tomas Haddad", Case.Status.OPEN),
    }
    supervisor = people["supervisor"]
    set_restriction(cases["restricted"], by=supervisor, restricted=True, named=[supervisor])
    choose_language(people["specialist2"], language="es", by=people["specialist2"])
    assert not cases["no contacts"].contacts.exists()
    return Program(
        people=people,
        cases=cases,
        hartford=Team.objects.get(name="Hartford team"),
        fund=Fund.objects.get(name="Survivor Emergency Fund"),
    )


def main_pages(program: Program) -> list[Page]:
    """Each main page, as the person who uses it."""
    people, cases = program.people, program.cases
    specialist, supervisor, director, finance = (people[n] for n in ("specialist", "supervisor", "director", "finance"))

    def on_case(view: str, key: str) -> str:
        return reverse(f"cases:{view}", args=[cases[key].pk])

    pages = [Page(f"home-{name}", people[name], reverse("home")) for name in ("specialist", "supervisor", "director")]
    pages += [
        Page("home-finance", finance, reverse("home")),
        Page("case-list-specialist", specialist, reverse("cases:list")),
        Page("case-list-director", director, reverse("cases:list")),
        Page("case-list-director-page-2", director, reverse("cases:list") + "?page=2"),
        *(Page(f"case-list-by-{key}-director", director, reverse("cases:list") + f"?sort={key}") for key in COLUMNS),
        Page("case-list-by-name-reversed-director", director, reverse("cases:list") + "?sort=-name"),
        Page(
            "case-list-filtered-director",
            director,
            reverse("cases:list") + f"?team={program.hartford.pk}&status={queries.ACTIVE}",
        ),
        # As the person types: posted by htmx, answered with the results partial.
        Page(
            "search-specialist",
            specialist,
            reverse("cases:list"),
            "POST",
            {"q": "rivera", "status": "", "team": ""},
            htmx=True,
        ),
        Page(
            "search-accents-specialist",
            specialist,
            reverse("cases:list"),
            "POST",
            {"q": "Grâce Rívera", "status": "", "team": ""},
            htmx=True,
        ),
        # One of the specialist's own survivors, and only a teammate's.
        Page(
            "duplicates-visible-specialist",
            specialist,
            reverse("cases:duplicates"),
            "POST",
            {"legal_name": "Grace Rivera"},
            htmx=True,
        ),
        Page(
            "duplicates-hidden-specialist",
            specialist,
            reverse("cases:duplicates"),
            "POST",
            {"legal_name": "Tomas Haddad"},
            htmx=True,
        ),
        Page("case-open-specialist", specialist, on_case("detail", "open")),
        Page("case-open-contacts-specialist", specialist, on_case("contacts", "open")),
        Page("case-open-history-specialist", specialist, on_case("history", "open")),
        Page("case-closed-specialist", specialist, on_case("detail", "closed")),
        Page("case-overdue-specialist", specialist, on_case("detail", "overdue")),
        Page("case-restricted-supervisor", supervisor, on_case("detail", "restricted")),
        Page("case-restricted-contacts-supervisor", supervisor, on_case("contacts", "restricted")),
        Page("case-restricted-history-supervisor", supervisor, on_case("history", "restricted")),
        Page("case-no-contacts-director", director, on_case("detail", "no contacts")),
        Page("case-intake-director", director, on_case("detail", "intake")),
        Page("finance-queue-approval-finance", finance, reverse("assistance:queue", args=["approval"])),
        Page("finance-queue-payment-finance", finance, reverse("assistance:queue", args=["payment"])),
        Page("fund-finance", finance, reverse("assistance:fund", args=[program.fund.pk])),
        Page("team-dashboard-supervisor", supervisor, reverse("reports:team_dashboard")),
        Page("program-dashboard-director", director, reverse("reports:program_dashboard")),
        Page("notifications-supervisor", supervisor, reverse("notifications:list")),
        Page("case-in-spanish-specialist2", people["specialist2"], on_case("detail", "in Spanish")),
    ]
    return pages


def rendered(client, page: Page) -> tuple[int, str]:
    """The page's status and its HTML, with what varies between renderings replaced."""
    client.force_login(page.who)
    headers = {"HTTP_HX_REQUEST": "true"} if page.htmx else {}
    if page.method == "POST":
        response = client.post(page.path, page.data, **headers)
    else:
        response = client.get(page.path, **headers)
    html = response.content.decode()
    for pattern, replacement in VARYING:
        html = pattern.sub(replacement, html)
    return response.status_code, html


def difference(name: str, kept: str, now: str) -> str:
    lines = list(
        difflib.unified_diff(
            kept.splitlines(), now.splitlines(), f"kept/{name}.html", f"now/{name}.html", lineterm="", n=2
        )
    )
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"... {len(lines) - DIFF_LINES} more lines of difference"]
    return "\n".join(lines)


def test_main_pages_are_unchanged(client, db, settings, monkeypatch):
    at_default = timezone.now() == clock.parse_instant(clock.DEFAULT_AT)
    if REWRITE and not at_default:
        pytest.fail(f"BLOOM_REWRITE_PAGES writes the pages at the default instant only ({clock.DEFAULT_AT}): drop --at")
    program = build_program(settings, monkeypatch)
    pages = main_pages(program)
    assert len({page.name for page in pages}) == len(pages), "two pages share a name"
    problems, seen = [], {}
    for page in pages:
        status, html = rendered(client, page)
        if status != 200:
            problems.append(f"{page.name}: {page.method} {page.path} answered {status}, not 200")
        seen[page.name] = html

    if not at_default:
        assert not problems, "\n".join(problems)
        pytest.skip(
            f"every page answered, but the kept pages hold at {clock.DEFAULT_AT} only and --at moved the "
            f"clock to {timezone.localtime():%Y-%m-%dT%H:%M}: nothing compared"
        )
    if REWRITE:
        assert not problems, "\n".join(problems)
        rewrite(seen)
        pytest.skip(f"BLOOM_REWRITE_PAGES=1: wrote {len(seen)} pages to {PAGES_DIR.name}/; review them with git diff")

    problems += unlike_the_kept_copies(seen)
    if problems:
        pytest.fail(
            f"Not as kept ({len(problems)}, over {len(pages)} pages):\n\n" + "\n\n".join(problems), pytrace=False
        )


def unlike_the_kept_copies(pages: dict[str, str]) -> list[str]:
    """What differs from the kept copies: each page's diff, a page without a copy, a copy without a page."""
    problems = []
    for name, html in pages.items():
        kept = PAGES_DIR / f"{name}.html"
        if not kept.exists():
            problems.append(f"{name}: no kept copy ({kept.name}); write it with BLOOM_REWRITE_PAGES=1")
        elif (before := kept.read_text(encoding="utf-8")) != html:
            problems.append(f"{name}: the page changed\n{difference(name, before, html)}")
    stale = sorted(path.stem for path in PAGES_DIR.glob("*.html") if path.stem not in pages)
    if stale:
        problems.append(f"copies of pages no longer opened: {', '.join(stale)} (BLOOM_REWRITE_PAGES=1 removes them)")
    return problems


def rewrite(pages: dict[str, str]) -> None:
    PAGES_DIR.mkdir(exist_ok=True)
    for path in PAGES_DIR.glob("*.html"):
        if path.stem not in pages:
            path.unlink()
    for name, html in pages.items():
        (PAGES_DIR / f"{name}.html").write_text(html, encoding="utf-8")
