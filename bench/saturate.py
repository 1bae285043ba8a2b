"""The saturation step of `make bench`: the highest request rate a page sustains with p95 under 250 ms.

Run by ``bench.run`` after the main load, against the gunicorn already serving, as a process of
its own (``python -m bench.saturate``), for the director's case list (first page) and the admin
changelist over the same cases, in turn, three runs each.

Open loop: at a rate R, request i is due R times a second from the start, whatever the earlier
ones are doing, and its time counts from when it was due, so a server that falls behind shows
it in the p95 (a closed loop would wait for it and hide the queue). Each rate is offered for a
short window; a rate is *sustained* when every request was answered with the page and the p95
stayed under the limit. Each run doubles the rate until one is not sustained, then bisects
between the last sustained rate and that one; the run's result is the highest rate sustained.

The generator is gevent (as locust is), without monkey-patching, one connection per request (the
sync workers close each one). It shares the cores with the server, so each window also says how
many requests it managed to send against how many it offered, how late it sent them, and how
much CPU it used itself.
"""

import argparse
import json
import math
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import gevent
import psutil
from geventhttpclient import HTTPClient

from bench.pages import SATURATION_LOWEST_RATE, SATURATION_P95_MS, Page, build

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# The pages compared, as (role, kind): the director sees every case, as the admin does.
PAGES = (("director", "case list"), ("admin", "admin changelist"))
# The search: the first run starts here; later runs start at half the first run's result.
START_RATE = 8.0
# Stop bisecting once the bracket is within this share of the sustained rate (three halvings
# after a doubling), and never look below one request a second or above this.
PRECISION = 0.125
LOWEST_RATE, HIGHEST_RATE = SATURATION_LOWEST_RATE, 2000.0
# A request slower than this is a failure whatever the window's p95, and is abandoned.
TIMEOUT_S = 30.0
# Open connections at most: beyond it, requests wait in the generator (and their wait counts).
CONNECTIONS = 256
PAUSE_S = 1.0


@dataclass
class Step:
    """One rate offered for one window."""

    offered_per_s: float
    window_s: float
    planned: int
    sent: int
    answered: int
    errors: int
    sent_per_s: float  # what the generator managed, against offered_per_s
    late_p95_ms: float | None  # how late the generator sent its requests, against when they were due
    p50_ms: float | None  # None: not enough answers for it
    p95_ms: float | None
    generator_cpu: float  # share of one core the generator used
    machine_busy: float  # share of all cores
    stopped_early: bool
    sustained: bool


def nearest_rank(values: list[float], p: float) -> float:
    if not values:
        return math.inf
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class Target:
    """One page, signed in as its person, offered at fixed rates."""

    def __init__(self, *, port: int, page: Page, cookie: str, limit_ms: float, window_s: float):
        self.page, self.limit_ms, self.window_s = page, limit_ms, window_s
        self.headers = {"Cookie": cookie, "Connection": "close"}
        self.client = HTTPClient(
            "127.0.0.1", port, concurrency=CONNECTIONS, connection_timeout=TIMEOUT_S, network_timeout=TIMEOUT_S
        )

    def offer(self, rate: float) -> Step:
        planned = max(1, round(rate * self.window_s))
        # The p95 reaches the limit once this many requests are at or over it: stop there.
        too_many_slow = planned - math.ceil(0.95 * planned) + 1
        times: list[float] = []
        late: list[float] = []
        pending: dict[int, float] = {}  # when each request on its way was due
        slow_answers = 0

        def send(number: int, due: float) -> None:
            nonlocal slow_answers
            late.append((time.perf_counter() - due) * 1000)
            pending[number] = due
            ok = False
            try:
                response = self.client.get(self.page.path, headers=self.headers)
                ok = response.status_code == 200 and self.page.expect.encode() in response.read()
            except Exception:  # whatever went wrong (refused, reset, timed out), the request failed
                ok = False
            finally:
                del pending[number]
            ms = (time.perf_counter() - due) * 1000 if ok else math.inf
            times.append(ms)
            slow_answers += ms >= self.limit_ms

        def slow() -> int:
            now = time.perf_counter()
            return slow_answers + sum((now - due) * 1000 >= self.limit_ms for due in list(pending.values()))

        cpu_before, machine_before = time.process_time(), psutil.cpu_times()
        started = checked = time.perf_counter()
        greenlets = []
        stopped = False
        for number in range(planned):
            due = started + number / rate
            gevent.sleep(max(0.0, due - time.perf_counter()))
            if time.perf_counter() - checked > 0.1:
                checked = time.perf_counter()
                if slow() >= too_many_slow:
                    stopped = True
                    break
            greenlets.append(gevent.spawn(send, number, due))
        elapsed = time.perf_counter() - started
        gevent.joinall(greenlets, timeout=TIMEOUT_S + 5)
        gevent.killall([g for g in greenlets if not g.dead])
        machine_after = psutil.cpu_times()
        busy = _busy(machine_after) - _busy(machine_before)
        total = sum(machine_after) - sum(machine_before)
        answered = [ms for ms in times if math.isfinite(ms)]
        # A request abandoned or never answered counts as infinitely slow.
        p95 = nearest_rank(times + [math.inf] * (len(greenlets) - len(times)), 95)
        return Step(
            offered_per_s=rate,
            window_s=self.window_s,
            planned=planned,
            sent=len(greenlets),
            answered=len(answered),
            errors=len(greenlets) - len(answered),
            sent_per_s=len(greenlets) / max(elapsed, 1e-9),
            late_p95_ms=_finite(nearest_rank(late, 95)),
            p50_ms=_finite(nearest_rank(times, 50)),
            p95_ms=_finite(p95),
            generator_cpu=(time.process_time() - cpu_before) / max(elapsed, 1e-9),
            machine_busy=busy / total if total else 0.0,
            stopped_early=stopped,
            sustained=not stopped and len(answered) == planned and p95 < self.limit_ms,
        )


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _busy(times) -> float:
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def search(offer, *, start: float) -> tuple[float, list[dict]]:
    """The highest rate ``offer`` sustains: doubling from ``start``, then bisecting; and each step."""
    ladder: list[dict] = []
    good, bad, rate = 0.0, math.inf, start
    while True:
        step = offer(rate)
        ladder.append(asdict(step))
        if step.sustained:
            good = rate
        else:
            bad = rate
        if math.isinf(bad):
            if rate >= HIGHEST_RATE:
                break
            rate = min(rate * 2, HIGHEST_RATE)
        elif bad <= LOWEST_RATE or bad - good <= PRECISION * max(good, LOWEST_RATE):
            break
        else:
            rate = round((good + bad) / 2, 1)
        gevent.sleep(PAUSE_S)  # let the server's queue empty before the next rate
    return good, ladder


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the sign-in form, as a person would; the Cookie header that carries the session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    with opener.open(f"{base}/accounts/login/", timeout=TIMEOUT_S) as response:
        token = CSRF_INPUT.search(response.read().decode())
    if not token:
        raise SystemExit("bench.saturate: no sign-in form")
    form = {"csrfmiddlewaretoken": token.group(1), "username": email, "password": password, "next": ""}
    with opener.open(f"{base}/accounts/login/", urllib.parse.urlencode(form).encode(), timeout=TIMEOUT_S):
        pass
    cookies = {cookie.name: cookie.value for cookie in jar}
    if len(cookies) < 2:  # the CSRF cookie alone: the sign-in was refused
        raise SystemExit(f"bench.saturate: the sign-in was refused for {email}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.saturate", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--personas", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--window", type=float, default=10.0, help="Seconds each rate is offered")
    args = parser.parse_args()
    personas = json.loads(args.personas.read_text())
    targets = {}
    for role, kind in PAGES:
        person = personas["people"][role][0]
        page = build(kind, person)
        cookie = sign_in(args.port, person["email"], personas["password"])
        targets[page.label(role)] = Target(
            port=args.port, page=page, cookie=cookie, limit_ms=SATURATION_P95_MS, window_s=args.window
        )
    result = {label: {"path": target.page.path, "runs": [], "sustained_per_s": []} for label, target in targets.items()}
    # The pages in turn, run by run, so that whatever else the machine does falls on both alike.
    for run in range(args.runs):
        for label, target in targets.items():
            found = result[label]["sustained_per_s"]
            start = max(LOWEST_RATE, round(found[0] / 2, 1)) if found else START_RATE
            started = time.monotonic()
            rate, ladder = search(target.offer, start=start)
            found.append(rate)
            result[label]["runs"].append(
                {"sustained_per_s": rate, "seconds": time.monotonic() - started, "ladder": ladder}
            )
            sys.stdout.write(f"bench.saturate: {label}, run {run + 1}: {rate:g} requests a second\n")
            sys.stdout.flush()
    for row in result.values():
        row["median_per_s"] = statistics.median(row["sustained_per_s"])
    args.out.write_text(json.dumps({"limit_ms": SATURATION_P95_MS, "window_s": args.window, "pages": result}, indent=1))


if __name__ == "__main__":
    main()
