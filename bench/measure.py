"""The parts of `make bench` that run inside Django, against the benchmark database.

Called through ``manage.py bench_measure`` under ``bench.settings`` (see ``bench.run``):
query counts and unloaded timings per page, the people the load generator signs in as,
the face sheet's render time, the funder reports' build time, and what the dataset holds.
"""

import logging
import random
import statistics
import time
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection, reset_queries
from django.db.models import Count, Min
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assistance.models import AssistanceRequest, Fund, Payment
from bench import pages
from bench.pages import split_label
from bloom.accounts.models import Role, Team, User
from bloom.audit.models import AccessLogEntry
from bloom.reports import funders
from bloom.reports.builders import BUILDERS
from bloom.reports.figures import Period, fiscal_year_start
from cases import delivered, permissions
from cases.demo import DEMO_DOMAIN, DEMO_PASSWORD
from cases.forms import teams_of
from cases.models import (
    Case,
    CaseAssignment,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    Contact,
    ServiceEvent,
    Survivor,
)
from training import access as training_access
from training import evaluation
from training import reports as training_reports
from training.models import SurveyResponse

BENCH_ADMIN = f"bench-admin@{DEMO_DOMAIN}"
CASES_PER_PERSONA = 400


def ensure_bench_admin() -> User:
    """The staff superuser who browses the admin baseline (``bench.admin``)."""
    admin = User.objects.filter(email=BENCH_ADMIN).first()
    return admin or User.objects.create_superuser(BENCH_ADMIN, DEMO_PASSWORD, full_name="Benchmark administrator")


def personas() -> dict:
    """Everyone the load generator may sign in as, with the cases and teams each may open.

    Case ids come from ``cases.permissions.visible_cases``, so a 404 during the run is a
    defect, not a bad pick. The lowest id comes first in every list and is the probe's
    fixed choice, the same case at every size.
    """
    rng = random.Random(7)  # noqa: S311 (which cases to sample, not a secret)
    all_teams = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    # Every fund, the one with the most requests first: the probe's fixed choice.
    funds = list(Fund.objects.annotate(asked=Count("requests")).order_by("-asked", "pk").values_list("pk", flat=True))
    people: dict[str, list[dict]] = {role: [] for role in pages.MIX}
    names = _near_misses(rng)
    paths = resolved_paths()
    for role in (Role.SPECIALIST, Role.SUPERVISOR, Role.PROGRAM_DIRECTOR):
        for user in User.objects.filter(groups__name=role, is_active=True).order_by("pk"):
            visible = permissions.visible_cases(user)
            ids = list(visible.values_list("pk", flat=True))
            if not ids:  # a specialist with no case yet (a small run): nothing of theirs to open
                continue
            first = min(ids)
            sample = sorted({first, *rng.sample(ids, min(len(ids), CASES_PER_PERSONA))})
            teams = all_teams if role == Role.PROGRAM_DIRECTOR else list(teams_of(user).values_list("pk", flat=True))
            people[_role_key(role)].append(
                {
                    "email": user.email,
                    "cases": sample,
                    "teams": teams,
                    "searches": _searches(visible, first, rng),
                    "names": names,
                    "funds": funds,
                    "paths": paths,
                }
            )
    # Finance sees no case, only requests program-wide (their queue) and the funds.
    for user in User.objects.filter(groups__name=Role.FINANCE, is_active=True).order_by("pk"):
        people["finance"].append({"email": user.email, "funds": funds})
    people["admin"].append({"email": ensure_bench_admin().email})
    return {"password": DEMO_PASSWORD, "people": people}


class PageMissing(Exception):
    """A page the benchmark measures by URL name does not exist (yet): the run stops, it never skips it."""


def resolved_paths() -> dict[str, str]:
    """The path of each page ``bench.pages`` names by URL name (``BY_NAME``)."""
    paths = {}
    for kind, name in pages.BY_NAME.items():
        try:
            paths[kind] = reverse(name)
        except NoReverseMatch:
            raise PageMissing(
                f"The {kind} is measured as {name!r}, and no URL has that name. Add the page, or take it"
                " out of bench.pages (BY_NAME and MIX)."
            ) from None
    return paths


def _role_key(role: Role) -> str:
    return "director" if role == Role.PROGRAM_DIRECTOR else str(role)


def _searches(visible, first: int, rng: random.Random) -> list[str]:
    """What this person might type: surnames and the start of client codes of their cases.

    The first is the surname of the first case's survivor, so the probe's search always
    finds something (an empty result runs fewer queries).
    """
    rows = list(visible.order_by("?").values_list("survivor__legal_name", "survivor__client_code")[:10])
    leading = visible.filter(pk=first).values_list("survivor__legal_name", flat=True).get()
    terms = [name.split()[-1] for name, _code in rows[:5]] + [code[3:6] for _name, code in rows[5:]]
    rng.shuffle(terms)
    return [leading.split()[-1], *terms]


def _near_misses(rng: random.Random) -> list[str]:
    """Names as someone might type them at intake: real survivors' names with one letter off.

    Taken from all survivors, so most belong to people the typist cannot see, which is
    the case the duplicate check must answer without revealing anything.
    """
    names = Survivor.objects.order_by("pk").values_list("legal_name", flat=True)[
        :: max(1, Survivor.objects.count() // 10)
    ]
    return [name[:-1] + rng.choice("aeiou") for name in list(names)[:10]]


SIGNED_IN = "/bench-signed-in/"


def probe(*, repeats: int = 15) -> dict:
    """Each role's pages, one request at a time: status, queries, server and SQL time, the median of ``repeats``.

    Each page is asked for once to warm the process's caches, then ``repeats`` times, in
    turn with all the others, so that whatever else the machine does falls on every page
    alike. Queries are counted by the Server-Timing header, the same measure as under load.
    Each role also asks for ``bench.urls.signed_in``, a view that does nothing: its queries
    are the ones every page runs before its own work (the session, the person). Once more
    after that, each page's queries are captured, for its slowest one.
    """
    ensure_bench_admin()
    found = personas()["people"]
    clients, requests = {}, []
    for role, mix in pages.MIX.items():
        person = found[role][0]
        clients[role] = Client()
        clients[role].force_login(User.objects.get(email=person["email"]))
        requests += [(role, pages.build(kind, person)) for kind in mix]
        requests.append(
            (role, pages.Page("signed in", "GET", SIGNED_IN, expect=str(clients[role].session["_auth_user_id"])))
        )
    timings: dict[str, list[dict]] = {page.label(role): [] for role, page in requests}
    answers = {}
    for round_ in range(repeats + 1):
        for role, page in requests:
            response = _send(clients[role], page)
            answers[page.label(role)] = (page, response)
            if round_:
                timings[page.label(role)].append(parse_server_timing(response.get("Server-Timing", "")))
    results = {}
    for label, (page, response) in answers.items():
        queries = sorted({t["queries"] for t in timings[label]})
        results[label] = {
            "page": page.kind,
            "role": split_label(label)[1],
            "path": page.path,
            "status": response.status_code,
            "ok": response.status_code == 200 and page.expect in response.text,
            "queries": queries[0] if len(queries) == 1 else queries,
            "server_ms": statistics.median(t["app_ms"] for t in timings[label]),
            "sql_ms": statistics.median(t["db_ms"] for t in timings[label]),
            **_slowest_query(clients[split_label(label)[1]], page),
        }
    return results


def _slowest_query(client: Client, page: pages.Page) -> dict:
    """The page's slowest query, as one more request captures it: where its SQL time goes."""
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        _send(client, page)
    slowest = max(((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), default=(0.0, ""))
    return {"slowest_sql_ms": slowest[0], "slowest_sql": slowest[1][:200]}


def _send(client: Client, page: pages.Page):
    headers = {"HX-Request": "true", "HX-Target": "results"} if page.htmx else {}
    if page.method == "POST":
        return client.post(page.path, page.form, headers=headers)
    return client.get(page.path, headers=headers)


def parse_server_timing(header: str) -> dict:
    """``app;dur=12.3, db;dur=4.1, queries;desc="13"`` as numbers (see ``bloom.middleware``)."""
    values = {}
    for metric in header.split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        for param in params:
            key, _sep, value = param.partition("=")
            values[f"{name}_{key}"] = value.strip('"')
    return {
        "app_ms": float(values.get("app_dur", "nan")),
        "db_ms": float(values.get("db_dur", "nan")),
        "queries": int(values.get("queries_desc", -1)),
    }


def face_sheets(*, runs: int) -> dict:
    """Render the face sheet ``runs`` times through the real builder, as the worker does.

    Twice over: with the static storage as configured (production's manifest storage), and
    with plain static storage, where the stylesheet is found under its own name. Problems
    WeasyPrint logs (a stylesheet it could not load) are collected, not printed.
    """
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    user = User.objects.filter(groups__name=Role.SPECIALIST).order_by("pk").first()
    case_ids = list(permissions.visible_cases(user).order_by("pk").values_list("pk", flat=True)[: runs + 1])
    result = {"as configured": _render_face_sheets(user, case_ids, runs)}
    with override_settings(STORAGES=plain):
        result["plain static storage"] = _render_face_sheets(user, case_ids, runs)
    return result


def _render_face_sheets(user: User, case_ids: list[int], runs: int) -> dict:
    """The first render (WeasyPrint's import and font set-up) is kept apart: a worker pays it once."""
    builder = BUILDERS["case_face_sheet"]
    problems = _Problems()
    logging.getLogger("weasyprint").addHandler(problems)
    times, queries, sizes = [], [], []
    try:
        for number in range(runs + 1):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                case = builder.authorize(user, case_ids[number % len(case_ids)])
                _filename, pdf = builder.build(case, requested_by=user, progress=lambda _percent: None)
            times.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
            sizes.append(len(pdf))
    finally:
        logging.getLogger("weasyprint").removeHandler(problems)
    return {
        "first_ms": times[0],
        "warm_ms": times[1:],
        "queries": max(queries),
        "bytes": statistics.median(sizes),
        "problems": sorted(set(problems.messages)),
    }


class _Problems(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def training(*, runs: int) -> dict:
    """The training evaluation over every event: computed, as the results page, and as the period PDF.

    As a trainer asks for it, over the whole period the scale surveys span (the widest
    question anyone asks); each timed ``runs`` times after a first, warm-up run.
    """
    user = User.objects.filter(groups__name=Role.TRAINER).order_by("pk").first()
    start, end = timezone.localdate() - timedelta(days=800), timezone.localdate()
    parameters = {"start": start.isoformat(), "end": end.isoformat(), "by": "quarter"}

    def evaluate():
        return evaluation.evaluate(evaluation.events_between(training_access.visible_events(user), start, end))

    client = Client()
    client.force_login(user)
    page = f"/training/results/?start={start.isoformat()}&end={end.isoformat()}&by=quarter"

    def results_page():
        response = client.get(page)
        if response.status_code != 200:
            raise RuntimeError(f"The results page answered {response.status_code}.")
        return response

    def pdf():
        events = training_reports.authorize_period(user, 0)
        return training_reports.period_report(
            events, requested_by=user, progress=lambda _percent: None, parameters=parameters
        )

    result = {"surveys": SurveyResponse.objects.count(), "events": evaluate().events}
    for name, call in (("evaluation", evaluate), ("results page", results_page), ("period PDF", pdf)):
        times, queries = [], []
        for _run in range(runs + 1):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                call()
            times.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
        result[name] = {"first_ms": times[0], "warm_ms": times[1:], "queries": max(queries)}
    return result


def last_fiscal_year(today: date) -> Period:
    """The last complete federal fiscal year (October to September) before ``today``."""
    start = fiscal_year_start(today)
    return Period(start.replace(year=start.year - 1), start - timedelta(days=1))


def funder_reports(*, runs: int) -> dict:
    """Each funder report over the last complete fiscal year, built as the report worker builds it.

    The year is the widest period anyone asks for (the quarterly reports' fiscal year to date
    at its end), and the busiest complete one in the made-up data, whose cases and contacts
    reach back four years to today. One build warms up (the catalogue, translations); of the
    ``runs`` after it the best time is kept, the one least disturbed by the rest of the machine.
    Queries are counted on every build, and the slowest one's time and start are kept.
    """
    period = last_fiscal_year(timezone.localdate())
    events, params = delivered.events_sql(period.start, period.end)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({events}) e", params)  # noqa: S608 (the ORM's SQL, values as parameters)
        (total,) = cursor.fetchone()
    result = {
        "period": [period.start.isoformat(), period.end.isoformat()],
        "events": total,
        "ticked events": ServiceEvent.objects.filter(provided_on__range=(period.start, period.end)).count(),
        "reports": {},
    }
    for kind, definition in funders.DEFINITIONS.items():
        times, queries, best = [], set(), []
        for run in range(runs + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                report = definition.build(period, None)
                elapsed = time.perf_counter() - started
            times.append(elapsed)
            queries.add(len(captured))
            if run and elapsed == min(times[1:]):
                best = [(float(query["time"]), query["sql"]) for query in captured.captured_queries]
        slowest = max(best, default=(0.0, ""))
        result["reports"][kind] = {
            "first_s": times[0],
            "warm_s": times[1:],
            "best_s": min(times[1:]),
            "queries": min(queries) if len(queries) == 1 else sorted(queries),
            "sql_s": sum(seconds for seconds, _sql in best),
            "slowest_sql_s": slowest[0],
            "slowest_sql": slowest[1][:160],
            # What it counted (people served, clients, cases entered, referrals): the report's first table.
            "first_table": report.tables[0].figures(),
        }
    return result


def dataset() -> dict:
    """What the benchmark database holds."""
    history = {
        "survivor history": Survivor.history.count(),
        "case history": Case.history.count(),
        "assignment history": CaseAssignment.history.count(),
        "contact history": Contact.history.count(),
        "service event history": ServiceEvent.history.count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("select pg_database_size(current_database()), version()")
        size, version = cursor.fetchone()
    return {
        "survivors": Survivor.objects.count(),
        "cases": Case.objects.count(),
        "assignments": CaseAssignment.objects.count(),
        "contacts": Contact.objects.count(),
        "contacts with an interpreter": Contact.objects.filter(interpreter_used=True).count(),
        "services ticked on contacts": ServiceEvent.objects.count(),
        "teams": Team.objects.count(),
        "specialists": Group.objects.get(name=Role.SPECIALIST).user_set.count(),
        "supervisors": Group.objects.get(name=Role.SUPERVISOR).user_set.count(),
        "users": User.objects.count(),
        "access log entries": AccessLogEntry.objects.count(),
        "access log from": AccessLogEntry.objects.aggregate(first=Min("at"))["first"].date().isoformat(),
        "funds": Fund.objects.count(),
        "assistance requests": AssistanceRequest.objects.count(),
        # The fund page is measured on this fund (``personas``: the one with the most requests).
        "requests in the busiest fund": max(
            Fund.objects.annotate(asked=Count("requests")).values_list("asked", flat=True), default=0
        ),
        "requests waiting for approval": AssistanceRequest.objects.filter(
            status__in=[AssistanceRequest.Status.WAITING, AssistanceRequest.Status.SECOND_APPROVAL]
        ).count(),
        "requests waiting for payment": AssistanceRequest.objects.filter(
            status=AssistanceRequest.Status.APPROVED
        ).count(),
        "payments": Payment.objects.count(),
        "payment months": Payment.objects.dates("paid_on", "month").count(),
        **history,
        "history rows": sum(history.values()),
        "user object permissions": CaseUserObjectPermission.objects.count(),
        "group object permissions": CaseGroupObjectPermission.objects.count(),
        "database size": f"{size / 2**20:.0f} MiB",
        "postgresql": version.split(" on ")[0],
    }
