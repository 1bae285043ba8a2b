"""The targets `make bench` holds its measurements to, met or missed (``report.markdown`` tables them)."""

import math

from bench.pages import (
    BEFORE_VIEW_QUERIES_TARGET,
    FACE_SHEET_TARGET_MS,
    FUNDER_YEAR_REPORT,
    FUNDER_YEAR_TARGET_S,
    MAIN_PAGES,
    P95_TARGETS_MS,
    SATURATION_LOWEST_RATE,
    SATURATION_P95_MS,
    SERVER_MS_TARGET,
    SERVER_TO_SQL_TARGET,
    TARGET_DATASET,
    TARGET_PAGES,
    TRAINING_PDF_TARGET_MS,
    TRAINING_RESULTS_TARGET_MS,
    VERSUS_ADMIN_TARGET,
    family,
    split_label,
)

# The comparison the issue asks for: the director sees every case, as the admin does.
CASE_LIST, ADMIN = "case list (director)", "admin changelist (admin)"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def targets(results: dict) -> list[dict]:
    """Every target, met or missed; a *gate* is what the issue holds the work to, a *guide* steers it."""
    found = [_dataset_target(results)]
    found += _page_targets(results) if "load" in results else []
    found += _funder_targets(results.get("funders"))
    return [{"kind": "guide", **target} for target in found]


def _dataset_target(results: dict) -> dict:
    data = results["dataset"]
    wanted = ", ".join(f"{count:,} {name}" for name, count in TARGET_DATASET.items())
    have = ", ".join(f"{data[name]:,} {name}" for name in TARGET_DATASET)
    # "About" 100,000 contacts: the made-up cases have 0 to 20 each, 10 on average.
    return {
        "kind": "size",
        "target": f"the targets' size: {wanted}",
        "measured": have,
        "met": all(data[name] >= 0.9 * count for name, count in TARGET_DATASET.items()),
    }


def _page_targets(results: dict) -> list[dict]:
    load, (small, full) = results["load"], [str(size) for size in results["sizes"]]
    found = []
    for page in TARGET_PAGES:
        stats = load["families"].get(page)
        roles = ", ".join(
            f"{variant(name)} {row['p95_ms']:.0f}"
            for name, row in load["pages"].items()
            if family(split_label(name)[0]) == page
        )
        found.append(
            {
                "kind": "gate",
                "target": f"{page}: p95 ≤ {P95_TARGETS_MS[page]} ms at {results['run']['users']} users",
                "measured": f"p95 {stats['p95_ms']:.0f} ms (by role and variant: {roles})" if stats else "no requests",
                "met": bool(stats) and stats["p95_ms"] <= P95_TARGETS_MS[page],
            }
        )
    found.extend(_one_at_a_time_targets(results["probe"][full]))
    changed = query_changes(results)
    found.append(
        {
            "target": f"queries per page the same at {int(small):,} and {int(full):,} survivors",
            "measured": "; ".join(changed) if changed else f"all {len(results['probe'][full])} pages the same",
            "met": not changed,
        }
    )
    found.append(_before_view_target(results["probe"][full]))
    found.append(_versus_admin(results))
    found.append(_face_sheet_target(results["face_sheets"]))
    found.extend(_training_targets(results.get("training")))
    return found


def variant(label: str) -> str:
    """``"case list, search (specialist)"`` as ``"specialist, search"``."""
    kind, role = split_label(label)
    rest = kind.removeprefix(family(kind))
    return f"{role}{rest}"


def query_changes(results: dict) -> list[str]:
    small, full = (results["probe"][str(size)] for size in results["sizes"])
    return [
        f"{name}: {small[name]['queries']} → {row['queries']}"
        for name, row in full.items()
        if small.get(name, {}).get("queries") != row["queries"]
    ]


def _one_at_a_time_targets(probe: dict) -> list[dict]:
    """Each main page alone: server time at most twice its own SQL time, and at most 40 ms (every role's)."""
    found = []
    for page in MAIN_PAGES:
        rows = {name: row for name, row in probe.items() if family(row["page"]) == page}
        met = bool(rows) and all(
            row["server_ms"] <= min(SERVER_TO_SQL_TARGET * row["sql_ms"], SERVER_MS_TARGET) for row in rows.values()
        )
        measured = "; ".join(
            f"{variant(name)} {row['server_ms']:.0f} ms, SQL {row['sql_ms']:.0f} ms" for name, row in rows.items()
        )
        found.append(
            {
                "target": f"{page}, one at a time: server ≤ {SERVER_TO_SQL_TARGET}x SQL and ≤ {SERVER_MS_TARGET} ms",
                "measured": measured or "not probed",
                "met": met,
            }
        )
    return found


def _before_view_target(probe: dict) -> dict:
    """The queries of a signed-in request to a view that does nothing (``bench.urls.signed_in``)."""
    rows = {split_label(name)[1]: row["queries"] for name, row in probe.items() if row["page"] == "signed in"}
    counts = [count for value in rows.values() for count in (value if isinstance(value, list) else [value])]
    return {
        "target": f"at most {BEFORE_VIEW_QUERIES_TARGET} queries before the view's own work",
        "measured": (
            "a signed-in request to a view that does nothing: "
            + ", ".join(f"{role} {count}" for role, count in rows.items())
            if rows
            else "not probed"
        ),
        "met": bool(counts) and max(counts) <= BEFORE_VIEW_QUERIES_TARGET,
    }


def sustained(per_s: float) -> str:
    """A sustained rate; 0 is what the saturation step reports when not even its lowest rate was."""
    return f"{per_s:g}" if per_s else f"< {SATURATION_LOWEST_RATE:g}"


def _versus_admin(results: dict) -> dict:
    """The saturation step: the case list's sustained rate against the admin changelist's, same rows, same run."""
    target = {
        "kind": "gate",
        "target": (
            f"the case list sustains ≥ {VERSUS_ADMIN_TARGET}x the admin changelist's requests per second"
            f" (p95 < {SATURATION_P95_MS} ms)"
        ),
    }
    saturation = (results.get("saturation") or {}).get("pages", {})
    ours, theirs = saturation.get(CASE_LIST), saturation.get(ADMIN)
    if not ours or not theirs:
        return {**target, "measured": "not measured", "met": False}
    ratio = ours["median_per_s"] / theirs["median_per_s"] if theirs["median_per_s"] else math.inf
    return {
        **target,
        "measured": (
            f"{sustained(ours['median_per_s'])} vs {sustained(theirs['median_per_s'])} requests a second (median of"
            f" {len(ours['sustained_per_s'])} runs), {ratio:.2f}x"
        ),
        "met": ratio >= VERSUS_ADMIN_TARGET,
    }


def _face_sheet_target(face_sheets: dict) -> dict:
    parts, met = [], True
    for name, run in face_sheets.items():
        p95 = percentile(run["warm_ms"], 95)
        met = met and p95 <= FACE_SHEET_TARGET_MS
        parts.append(f"{name}: p95 {p95:.0f} ms")
    first = max(run["first_ms"] for run in face_sheets.values())
    return {
        "target": f"face sheet PDF ≤ {FACE_SHEET_TARGET_MS / 1000:.0f} s",
        "measured": "; ".join(parts) + f" (a worker's first render: {first:.0f} ms)",
        "met": met,
    }


def _training_targets(training: dict | None) -> list[dict]:
    if not training:
        return []
    found = []
    for name, limit in (("results page", TRAINING_RESULTS_TARGET_MS), ("period PDF", TRAINING_PDF_TARGET_MS)):
        p95 = percentile(training[name]["warm_ms"], 95)
        found.append(
            {
                "target": f"training {name} over {training['surveys']:,} surveys ≤ {limit:,} ms",
                "measured": f"p95 {p95:.0f} ms, {training[name]['queries']} queries",
                "met": p95 <= limit,
            }
        )
    return found


def _funder_targets(funders: dict | None) -> list[dict]:
    if not funders:
        return []
    (small, runs_small), (full, runs_full) = ((size, run["reports"]) for size, run in funders.items())
    start, end = funders[full]["period"]
    year = {size: run["reports"][FUNDER_YEAR_REPORT]["best_s"] for size, run in funders.items()}
    changed = [
        f"{kind}: {runs_small.get(kind, {}).get('queries')} → {row['queries']}"
        for kind, row in runs_full.items()
        if runs_small.get(kind, {}).get("queries") != row["queries"]
    ]
    return [
        {
            "target": f"victim-services report over the fiscal year {start} to {end} ≤ {FUNDER_YEAR_TARGET_S} s",
            "measured": ", ".join(f"{seconds:.2f} s at {int(size):,} survivors" for size, seconds in year.items()),
            "met": max(year.values()) <= FUNDER_YEAR_TARGET_S,
        },
        {
            "target": f"queries per funder report the same at {int(small):,} and {int(full):,} survivors",
            "measured": "; ".join(changed) if changed else f"all {len(runs_full)} reports the same",
            "met": not changed,
        },
    ]
