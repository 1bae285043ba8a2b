"""Turn what `make bench` measured into report.json's numbers and report.md's tables."""

import math
import statistics
from collections import Counter

from bench.pages import (
    BY_NAME,
    DASHBOARDS,
    FUNDER_YEAR_REPORT,
    FUNDER_YEAR_TARGET_S,
    MAIN_PAGES,
    MIX,
    P95_TARGETS_MS,
    ROLE_WEIGHTS,
    SATURATION_P95_MS,
    SERVER_MS_TARGET,
    SERVER_TO_SQL_TARGET,
    TARGET_PAGES,
    family,
    split_label,
)
from bench.targets import percentile, sustained, targets, variant

SIGN_IN = ("sign-in form", "sign in")
# How a role reads in the mix ("2/20 finance staff", "4/20 supervisors").
PEOPLE = {"finance": "finance staff"}


def _mean(values) -> float | None:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return statistics.fmean(finite) if finite else None


def summarize(samples: list[dict], window_s: float) -> dict:
    times = [s["ms"] for s in samples]
    return {
        "requests": len(samples),
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
        "max_ms": max(times),
        "mean_ms": statistics.fmean(times),
        "req_per_s": len(samples) / window_s,
        "errors": sum(not s["ok"] for s in samples),
        "server_ms": _mean(s["server_ms"] for s in samples),
        "sql_ms": _mean(s["sql_ms"] for s in samples),
        "queries": sorted({s["queries"] for s in samples if s["queries"] >= 0}),
    }


def load_statistics(document: dict, *, cpu: dict) -> dict:
    """Per-page statistics over the steady state (from the last sign-in to the end)."""
    start, end = document["steady_from"], document["steady_until"]
    everyone_in = start is not None
    if not everyone_in:  # some sign-in never finished: measure all there is, and say so
        start = min(row[1] for row in document["samples"])
    pages: dict[str, list[dict]] = {}
    sign_in: dict[str, list[dict]] = {}
    errors: Counter = Counter()
    ramp = 0
    for name, at, ms, ok, status, server_ms, sql_ms, queries, error in document["samples"]:
        sample = {"ms": ms, "ok": ok, "server_ms": server_ms, "sql_ms": sql_ms, "queries": queries}
        if not ok:
            errors[f"{name}: {error or f'status {status}'}"] += 1
        if name in SIGN_IN:
            sign_in.setdefault(name, []).append(sample)
        elif at < start:
            ramp += 1
        else:
            pages.setdefault(name, []).append(sample)
    window = end - start
    families: dict[str, list[dict]] = {}
    for name, samples in pages.items():
        families.setdefault(family(split_label(name)[0]), []).extend(samples)
    return {
        "window_s": window,
        "everyone_signed_in": everyone_in,
        "ramp_requests_excluded": ramp,
        "pages": {name: summarize(samples, window) for name, samples in sorted(pages.items())},
        "families": {name: summarize(samples, window) for name, samples in sorted(families.items())},
        "sign_in": {name: summarize(samples, window) for name, samples in sign_in.items()},
        "total": summarize([s for samples in pages.values() for s in samples], window),
        "errors": dict(errors),
        "cpu": cpu,
    }


# Markdown --------------------------------------------------------------------------------


def markdown(results: dict) -> str:
    results["targets"] = targets(results)
    loaded = "load" in results  # not with --reports-only
    sections = [
        _heading(results),
        _targets_table(results),
        *(
            [
                _side_by_side(results),
                _saturation(results),
                _profiles(results),
                _pages_table(results),
                _dashboards_table(results),
                _time_split(results),
                _face_sheet_table(results),
                _training_table(results),
            ]
            if loaded
            else []
        ),
        _funders_table(results),
        _dataset(results),
        _setup(results) if loaded else "",
        _machine(results),
        _errors(results),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _size(survivors: str | int) -> str:
    """A size in a column's name: ``10k``, or ``300`` below a thousand."""
    count = int(survivors)
    return f"{count // 1000}k" if count >= 1000 and count % 1000 == 0 else f"{count:,}"


def _ms(value) -> str:
    return "-" if value is None else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _table(header: list[str], rows: list[list], align: str = "") -> str:
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [header, rule, *rows]
    return "\n".join("| " + " | ".join(str(cell) for cell in line) + " |" for line in lines)


def _heading(results: dict) -> str:
    run, steps = results["run"], results["steps"]
    seeding = sum(seconds for name, seconds in steps.items() if name.startswith(("seed", "grow")))
    minutes, rest = divmod(run["wall_s"], 60)
    if run.get("reports_only"):
        return (
            "# Bloom benchmark: data and funder reports only\n\n"
            f"Finished {run['finished']}. `python -m bench.run --reports-only` took {minutes:.0f} min {rest:.0f} s"
            f" in all, of which {seeding:.0f} s seeding. No pages, load, face sheets or training were measured."
        )
    return (
        "# Bloom benchmark\n\n"
        f"Finished {run['finished']}. `make bench` took {minutes:.0f} min {rest:.0f} s in all, of which "
        f"{seeding:.0f} s seeding, {steps.get('load', 0):.0f} s under load, {steps.get('saturation', 0):.0f} s in"
        f" the saturation step and {steps.get('face sheets', 0):.0f} s rendering face sheets."
    )


def _targets_table(results: dict) -> str:
    rows = [[t["kind"], t["target"], t["measured"], "met" if t["met"] else "**missed**"] for t in results["targets"]]
    return (
        "## Targets\n\nA *gate* is what the work is held to; a *guide* steers it (where one is missed,"
        " *Where a missed page's time goes* below shows the page); *size* says whether the run had the"
        " targets' data.\n\n" + _table(["", "target", "measured", "result"], rows, align="llll")
    )


def _worst(probe: dict, page: str) -> tuple[str, dict]:
    """The probed role and variant of ``page`` with the longest server time (the one a target hinges on)."""
    rows = [(name, row) for name, row in probe.items() if family(row["page"]) == page]
    return max(rows, key=lambda item: item[1]["server_ms"], default=("", {}))


def _side_by_side(results: dict) -> str:
    """One row per main page and dashboard, the admin changelist last as the baseline."""
    load, probe = results["load"], results["probe"]
    small, full = (str(size) for size in results["sizes"])
    saturation = {
        split_label(label)[0]: row["median_per_s"]
        for label, row in (results.get("saturation") or {}).get("pages", {}).items()
    }
    rows = []
    for page in (*TARGET_PAGES, "admin changelist"):
        stats = load["families"].get(page, {})
        name, alone = _worst(probe[full], page)
        before = probe[small].get(name, {})
        target = P95_TARGETS_MS.get(page)
        slow = " ⚠" if target and stats and stats["p95_ms"] > target else ""
        heavy = (
            " ⚠"
            if page in MAIN_PAGES
            and alone
            and alone["server_ms"] > min(SERVER_TO_SQL_TARGET * alone["sql_ms"], SERVER_MS_TARGET)
            else ""
        )
        rows.append(
            [
                page if target else f"*{page}* (baseline)", target or "-", variant(name) if name else "-",
                stats.get("requests", 0), _ms(stats.get("p50_ms")), _ms(stats.get("p95_ms")) + slow,
                f"{stats['req_per_s']:.2f}" if stats else "-", _ms(alone.get("server_ms")) + heavy,
                _ms(alone.get("sql_ms")), before.get("queries", "-"), alone.get("queries", "-"),
                sustained(saturation[page]) if page in saturation else "",
            ]
        )  # fmt: skip
    header = [
        "page", "p95 target", "probed as", "requests", "p50", "p95", "req/s", "server alone", "SQL alone",
        f"queries @{_size(small)}", f"queries @{_size(full)}", "sustained req/s",
    ]  # fmt: skip
    return (
        "## Pages side by side\n\nEach main page and dashboard over all the roles that open it, Django's admin"
        " changelist over the same cases last as the baseline. *p50*, *p95* (ms) and *req/s* under the load;"
        " *server alone* and *SQL alone* (ms), one request at a time, the median of 15 after a warm-up, and the"
        " queries, from the probe, for the role and variant with the longest server time (*probed as*);"
        " *sustained req/s* from the saturation step. ⚠ marks a p95 over its target, or a page alone over"
        f" {SERVER_TO_SQL_TARGET}x its SQL time or {SERVER_MS_TARGET} ms.\n\n"
        + _table(header, rows, align="lrl" + "r" * (len(header) - 3))
    )


LADDER_HEADER = [
    "page", "run", "offered/s", "sent/s", "late p95", "sent", "answered", "failed", "p50", "p95",
    "generator CPU", "machine busy", "sustained",
]  # fmt: skip


def _saturation(results: dict) -> str:
    """The highest rate each page sustained, its runs, and each run's ladder of rates."""
    saturation = results.get("saturation")
    if not saturation:
        return ""
    summary, ladders = [], []
    for label, row in saturation["pages"].items():
        summary.append(
            [
                label,
                f"`{row['path']}`",
                f"**{sustained(row['median_per_s'])}**",
                ", ".join(sustained(rate) for rate in row["sustained_per_s"]),
            ]
        )
        for number, run in enumerate(row["runs"], start=1):
            for step in run["ladder"]:
                ladders.append(
                    [
                        label, number, f"{step['offered_per_s']:g}", f"{step['sent_per_s']:.1f}",
                        _ms(step["late_p95_ms"]), f"{step['sent']}/{step['planned']}", step["answered"], step["errors"],
                        _ms(step["p50_ms"]), _ms(step["p95_ms"]) + (" (stopped)" if step["stopped_early"] else ""),
                        f"{100 * step['generator_cpu']:.0f}%", f"{100 * step['machine_busy']:.0f}%",
                        "yes" if step["sustained"] else "no",
                    ]
                )  # fmt: skip
    return (
        f"## Saturation\n\nThe highest request rate each page sustains with p95 under {SATURATION_P95_MS} ms, on the"
        " same gunicorn once the load is over (`bench.saturate`). Open loop: each rate is offered for"
        f" {saturation['window_s']:g} s, one request due every 1/rate s whatever the earlier ones are doing, each timed"
        " from when it was due (so a queue shows); a rate is sustained when every request was answered with its"
        " page and the p95 stayed under the limit. Each run doubles the rate until one is not sustained, then"
        " bisects; the pages take turns, run by run, and the median of the runs is kept. A window is stopped once"
        " enough requests are over the limit that its p95 must be. **The generator shares the two cores with the"
        " server and PostgreSQL**: *sent/s* against *offered*, how late it sent (*late p95*, ms) and its own CPU"
        " (share of one core) say whether it kept up; its lateness counts in the times, so a generator that falls"
        " behind makes the server look slower, not faster.\n\n"
        + _table(["page", "path", "median req/s", "runs"], summary, align="llrl")
        + "\n\n"
        + _table(LADDER_HEADER, ladders, align="lr" + "r" * 11)
    )


def _profiles(results: dict) -> str:
    """For each main page or dashboard that missed a target: where its time goes, one request at a time."""
    load, probe = results["load"], results["probe"][str(results["sizes"][-1])]
    rows = []
    for page in TARGET_PAGES:
        stats = load["families"].get(page)
        for name, alone in probe.items():
            if family(alone["page"]) != page:
                continue
            slow = bool(stats) and stats["p95_ms"] > P95_TARGETS_MS[page]
            heavy = page in MAIN_PAGES and alone["server_ms"] > min(
                SERVER_TO_SQL_TARGET * alone["sql_ms"], SERVER_MS_TARGET
            )
            if not (slow or heavy):
                continue
            rows.append(
                [
                    page, variant(name), _ms(alone["server_ms"]), _ms(alone["sql_ms"]),
                    _ms(alone["server_ms"] - alone["sql_ms"]), alone["queries"], _ms(alone.get("slowest_sql_ms")),
                    f"`{alone.get('slowest_sql', '')[:90]}`",
                ]
            )  # fmt: skip
    if not rows:
        return ""
    return (
        "## Where a missed page's time goes\n\nEach role and variant of a page that missed its p95 or its"
        " one-at-a-time target, from the probe at the full size (ms, median of 15): the server time, its SQL,"
        " the rest (Python: the view, forms, templates, middleware), the queries, and the slowest query of one"
        " more request. SQL-bound: the slowest query and its plan; Python-bound: a profile of the view.\n\n"
        + _table(
            ["page", "role", "server", "SQL", "rest", "queries", "slowest query", "its start"],
            rows,
            align="ll" + "r" * 5 + "l",
        )
    )


def _pages_table(results: dict) -> str:
    load, probe = results["load"], results["probe"]
    small, full = (str(size) for size in results["sizes"])
    header = [
        "page", "role", "requests", "p50", "p95", "p99", "req/s", "errors",
        f"queries @{_size(small)}", f"queries @{_size(full)}",
        "mean", "mean server", "mean SQL", "server, one at a time", "SQL, one at a time",
    ]  # fmt: skip
    rows = []
    for name, row in load["pages"].items():
        kind, role = split_label(name)
        at_small, at_full = probe[small].get(name, {}), probe[full].get(name, {})
        flag = " ⚠" if at_small.get("queries") != at_full.get("queries") else ""
        slow = " ⚠" if family(kind) in TARGET_PAGES and row["p95_ms"] > P95_TARGETS_MS[family(kind)] else ""
        rows.append(
            [
                kind, role, row["requests"], _ms(row["p50_ms"]), _ms(row["p95_ms"]) + slow, _ms(row["p99_ms"]),
                f"{row['req_per_s']:.2f}", row["errors"], at_small.get("queries", "-"),
                f"{at_full.get('queries', '-')}{flag}", _ms(row["mean_ms"]), _ms(row["server_ms"]),
                _ms(row["sql_ms"]), _ms(at_full.get("server_ms")), _ms(at_full.get("sql_ms")),
            ]
        )  # fmt: skip
    for name, row in load["families"].items():
        rows.append(
            [
                f"**{name}**", "all", row["requests"], _ms(row["p50_ms"]), _ms(row["p95_ms"]), _ms(row["p99_ms"]),
                f"{row['req_per_s']:.2f}", row["errors"], "", "", _ms(row["mean_ms"]), _ms(row["server_ms"]),
                _ms(row["sql_ms"]), "", "",
            ]
        )  # fmt: skip
    total = load["total"]
    return (
        f"## Pages\n\nSteady state: {results['run']['users']} people browsing for {load['window_s']:.0f} s after the"
        f" last one signed in ({load['ramp_requests_excluded']} requests during the sign-in ramp left out);"
        f" {total['requests']} requests, {total['req_per_s']:.1f} per second. Times in milliseconds, as locust saw"
        " them (queueing included); *server* and *SQL* come from each answer's Server-Timing header; queries"
        " per request and *one at a time* (median server and SQL time, no other load, at the full size) come from"
        " the probe."
        " ⚠ marks a p95 over its target on a target page, or a query count that changed with size.\n\n"
        + _table(header, rows, align="ll" + "r" * (len(header) - 2))
    )


def _dashboards_table(results: dict) -> str:
    """The dashboards on their own: times under load and queries at both sizes."""
    load, probe = results["load"], results["probe"]
    small, full = (str(size) for size in results["sizes"])
    rows = []
    for name, row in load["pages"].items():
        kind, role = split_label(name)
        if kind not in DASHBOARDS:
            continue
        at_small, at_full = probe[small].get(name, {}), probe[full].get(name, {})
        rows.append(
            [
                kind, role, f"`{at_full.get('path', BY_NAME[kind])}`", row["requests"], _ms(row["p50_ms"]),
                _ms(row["p95_ms"]), _ms(row["max_ms"]), row["errors"], at_small.get("queries", "-"),
                at_full.get("queries", "-"), _ms(row["server_ms"]), _ms(row["sql_ms"]), _ms(at_full.get("server_ms")),
                _ms(at_full.get("sql_ms")),
            ]
        )  # fmt: skip
    missing = [kind for kind in DASHBOARDS if not any(split_label(name)[0] == kind for name in load["pages"])]
    header = [
        "dashboard", "role", "path", "requests", "p50", "p95", "max", "errors",
        f"queries @{_size(small)}", f"queries @{_size(full)}", "mean server", "mean SQL",
        "server, one at a time", "SQL, one at a time",
    ]  # fmt: skip
    text = (
        f"## Dashboards\n\nThe supervisors' team dashboard and the program director's dashboard (its default"
        f" period, the fiscal year to date), as opened during the load at {results['run']['users']} users, in"
        f" milliseconds (p95 targets: {P95_TARGETS_MS['team dashboard']} and {P95_TARGETS_MS['program dashboard']}"
        " ms); queries per request from the probe at both sizes.\n\n"
        + _table(header, rows, align="lll" + "r" * (len(header) - 3))
    )
    if missing:
        text += f"\n\n**Not opened during the load:** {', '.join(missing)}."
    return text


def _time_split(results: dict) -> str:
    load = results["load"]
    total, cpu = load["total"], load["cpu"]
    capacity = cpu["cores"] * cpu["elapsed_s"]

    def share(key: str) -> str:
        return f"{100 * cpu[key] / capacity:.0f}%"

    lines = [
        "## Where the time goes",
        "",
        f"- Mean over all pages: {_ms(total['mean_ms'])} ms at the client, {_ms(total['server_ms'])} ms in Django"
        f" (of which {_ms(total['sql_ms'])} ms in SQL). The rest, {_ms(total['mean_ms'] - total['server_ms'])} ms,"
        " is waiting for a free worker, the network and locust itself.",
        f"- CPU during the load ({cpu['elapsed_s']:.0f} s, {cpu['cores']} cores): the machine was"
        f" {share('busy_s')} busy: gunicorn {share('gunicorn_s')}, PostgreSQL {share('postgresql_s')},"
        f" locust {share('locust_s')}, other processes {share('other_s')}"
        + (f" ({', '.join(f'{name} {used:.1f} s' for name, used in cpu['top_others'])})" if cpu["top_others"] else "")
        + f"; the hypervisor took {share('steal_s')} for other guests. Locust runs as one process on the same"
        f" cores, so its {cpu['locust_s']:.1f} CPU seconds are taken from the server.",
    ]
    if cpu["other_s"] + cpu["steal_s"] > 0.05 * capacity:
        lines.append(
            "- **Other work shared the machine during the run** (other processes or steal above 5% of it):"
            " the times above are pessimistic. Run again on a quiet machine to compare with other runs."
        )
    signing = load["sign_in"].get("sign in")
    if signing:
        lines.append(
            f"- Signing in (Argon2, slow by design, once per person, left out of the pages): p50"
            f" {_ms(signing['p50_ms'])} ms, max {_ms(signing['max_ms'])} ms."
        )
    return "\n".join(lines)


def _face_sheet_table(results: dict) -> str:
    rows, problems = [], []
    for name, run in results["face_sheets"].items():
        warm = run["warm_ms"]
        rows.append(
            [
                name, len(warm), _ms(run["first_ms"]), _ms(percentile(warm, 50)), _ms(percentile(warm, 95)),
                _ms(max(warm)), run["queries"], f"{run['bytes'] / 1024:.0f} KiB",
            ]
        )  # fmt: skip
        problems += [f"- *{name}*: WeasyPrint said: `{message}`" for message in run["problems"]]
    text = (
        "## Face sheet PDF\n\nRendered in-process through `BUILDERS['case_face_sheet']` (access check, queries,"
        " template, WeasyPrint), as the worker does, over different cases. *As configured* uses production's"
        " manifest static storage; *plain static storage* finds the stylesheet under its own name.\n\n"
        + _table(["static storage", "renders", "first", "p50", "p95", "max", "queries", "size"], rows)
    )
    if problems:
        text += "\n\n**Problems found:**\n\n" + "\n".join(problems)
    return text


def _training_table(results: dict) -> str:
    training = results.get("training")
    if not training:
        return ""
    rows = []
    for name in ("evaluation", "results page", "period PDF"):
        run = training[name]
        warm = run["warm_ms"]
        rows.append([name, len(warm), _ms(run["first_ms"]), _ms(percentile(warm, 50)), _ms(percentile(warm, 95)),
                     _ms(max(warm)), run["queries"]])  # fmt: skip
    return (
        f"## Training evaluation\n\n{training['surveys']:,} surveys from {training['events']:,} events, over the"
        " whole period, as a trainer asks for it: the evaluation alone (`training.evaluation.evaluate`), the"
        " results page with its charts and totals, and the period's PDF through its real builder.\n\n"
        + _table(["what", "runs", "first", "p50", "p95", "max", "queries"], rows)
    )


def _funders_table(results: dict) -> str:
    funders = results.get("funders")
    if not funders:
        return ""
    (small, at_small), (full, at_full) = funders.items()
    header = [
        "report", f"s @{_size(small)}", f"queries @{_size(small)}", f"first s @{_size(full)}",
        f"s @{_size(full)}", f"queries @{_size(full)}", "SQL s", "slowest query", "its start",
    ]  # fmt: skip
    rows = []
    for kind, row in at_full["reports"].items():
        before = at_small["reports"].get(kind, {})
        flag = " ⚠" if before.get("queries") != row["queries"] else ""
        slow = " ⚠" if kind == FUNDER_YEAR_REPORT and row["best_s"] > FUNDER_YEAR_TARGET_S else ""
        rows.append(
            [
                kind, f"{before.get('best_s', float('nan')):.2f}", before.get("queries", "-"), f"{row['first_s']:.2f}",
                f"{row['best_s']:.2f}{slow}", f"{row['queries']}{flag}", f"{row['sql_s']:.2f}",
                f"{row['slowest_sql_s']:.2f}", f"`{row['slowest_sql'][:60]}`",
            ]
        )  # fmt: skip
    served = {
        size: run["reports"][FUNDER_YEAR_REPORT]["first_table"]["total"]["people"] for size, run in funders.items()
    }
    start, end = at_full["period"]
    return (
        f"## Funder reports\n\nEach report built in-process through `funders.DEFINITIONS[kind].build(period, None)`"
        f" over the last complete federal fiscal year, {start} to {end}, as the report worker builds it: one build"
        " to warm up, then the best of the next ones, in seconds (*SQL s*, *slowest query*: that build's, as"
        " `CaptureQueriesContext` timed them). At the full size the year holds"
        f" {at_full['events']:,} service events ({at_full['ticked events']:,} ticked on contacts, the rest derived"
        " from payments, help in kind, stays, referrals, safety plans and interpreted contacts); people served: "
        + ", ".join(f"{people:,} at {int(size):,} survivors" for size, people in served.items())
        + ". ⚠ marks a time over the target or a query count that changed with size.\n\n"
        + _table(header, rows)
    )


def _dataset(results: dict) -> str:
    data, steps = results["dataset"], results["steps"]
    rows = [[name, f"{value:,}" if isinstance(value, int) else value] for name, value in data.items()]
    per_survivor = data["contacts"] / data["survivors"] if data["survivors"] else 0
    timing = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in steps.items())
    seeded = results["seeded"]
    return (
        "## Dataset\n\n"
        f"PostgreSQL database `bloom_bench`, rebuilt for every run. Steps: {timing}.\n\n"
        f"{data['survivors']:,} survivors, {data['contacts']:,} contacts ({per_survivor:.1f} a survivor) and"
        f" {data['access log entries']:,} access-log entries.\n\n"
        "Each made-up case carries 0 to 20 **contacts** (about 100,000 at 10,000 survivors), written with their"
        " history rows, so the last-contact column and the overdue rule read a realistic table. The"
        " **access-log entries** are made up as case views (one in ten a history view) by the case's specialists"
        " and now and then its team's supervisor, in working hours between the case's opening and today, loaded"
        " with COPY. The history rows are those that creating the survivors, cases, assignments and contacts"
        " writes (`bulk_create_with_history`). The access log grows further as"
        f" the run opens cases; the counts below are from before the run. Made up in bulk: {seeded['survivors']:,}"
        f" survivors with a case each (the demo program's own {data['survivors'] - seeded['survivors']} through"
        f" the services), {seeded['access log entries']:,} access-log entries (any others are the probe's own"
        f" case views) and {seeded.get('assistance requests', 0):,} **assistance requests** over the cases being"
        " served and yearly made-up awards of two funders, in every status (most paid, with their payment; some"
        " waiting for a first or second approval or for payment; some denied or cancelled), loaded with COPY"
        " without history (`seed_assistance`); the paid ones are dated over their fund's period, so the fund"
        " page's chart has its months; the fund page is measured on the fund with the most requests."
        f" {seeded.get('service events', 0):,} **services ticked** on contacts (`bench.scale`, with their history):"
        " none, one or two on each contact that reached the survivor, most often the catalogue's usual services,"
        " on the contact's day; the survivors of one case in eight need an interpreter, and each of their reached"
        " contacts says one was used.\n\n" + _table(["what", "count"], rows)
    )


def _setup(results: dict) -> str:
    run = results["run"]
    mix = "; ".join(
        f"{ROLE_WEIGHTS[role]}/{sum(ROLE_WEIGHTS.values())} {PEOPLE.get(role, f'{role}s')}: "
        + ", ".join(f"{kind} x{weight}" for kind, weight in pages.items())
        for role, pages in MIX.items()
    )
    return (
        "## How it ran\n\n"
        f"- gunicorn, {run['workers']} {run['worker_class']} workers, `BLOOM_ENV=production` with `bench.settings`"
        " (DEBUG off, whitenoise, persistent connections; plain HTTP on 127.0.0.1, so cookies are not marked"
        " Secure and there is no HTTPS redirect). Two-step sign-in is off for the simulated staff"
        " (`BLOOM_REQUIRE_MFA=false`); lockout stays on (nobody fails to sign in). `BLOOM_SERVER_TIMING=true`.\n"
        f"- locust, headless, one process: {run['users']} people started {run['spawn_rate']:g} per second, each"
        f" signing in once through the sign-in form, then pausing {run['wait']} s between pages. Mix (relative"
        f" weights): {mix}. The case search is posted by htmx (`HX-Request`, the CSRF token from `hx-headers`)."
        " Cases are drawn from what each person may see (`visible_cases`); every answer must be a 200 with the"
        " page's own content. The finance queue (`/assistance/queue/approval/` and its payment tab) shows the"
        " requests each person may see, program-wide for finance and the director; the fund page is any of the"
        " program's funds (the probe's, the one with the most requests).\n"
        "- The admin baseline is a plain `ModelAdmin` over `Case` on a separate admin site mounted only by the"
        " benchmark server: client code, survivor, status, team, opened on; status and team filters; 25 rows a"
        " page, as Bloom's case list (the admin's default is 100); `list_select_related` for survivor and team."
        " A staff superuser browses its first page."
    )


def _machine(results: dict) -> str:
    host, data = results["machine"], results["dataset"]
    return (
        "## Machine\n\n"
        f"{host['cores']} cores ({host['cpu']}), {host['memory_gb']} GB, {host['system']}; Python {host['python']},"
        f" Django {host['django']}, gunicorn {host['gunicorn']}, locust {host['locust']}, WeasyPrint"
        f" {host['weasyprint']}; {data['postgresql']}. Load average before the run: {host['load_average_before']:.2f}."
    )


def probe_failures(results: dict) -> list[str]:
    """Probed pages that did not answer 200 with their own content."""
    return [
        f"probe at {int(size):,} survivors, {label}: status {row['status']}"
        for size, probe in results.get("probe", {}).items()
        for label, row in probe.items()
        if not row["ok"]
    ]


def _errors(results: dict) -> str:
    errors = Counter(results.get("load", {}).get("errors", {})) + Counter(probe_failures(results))
    if not errors:
        return ""
    rows = [[message, count] for message, count in errors.most_common()]
    return "## Errors\n\n" + _table(["request and error", "count"], rows)
