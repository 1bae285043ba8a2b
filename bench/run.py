"""`make bench`: build a large made-up program, serve it as production would, load it, report.

1. ``bloom_bench`` is dropped and rebuilt (never the development or test database): the
   migrations, the static files (production's manifest storage, under var/bench/static).
2. The demo program grown to 60 specialists in 6 teams and 1,000 survivors, with their
   access log, 5,000 assistance requests and the services ticked on their contacts
   (``bench.scale``); every benchmarked page is probed for its query count, and the four
   funder reports are built over the last complete fiscal year.
3. Grown to 10,000 survivors, 300,000 access-log entries and 50,000 assistance requests;
   probed again, and the funder reports built again.
4. gunicorn (sync workers) serves it with production settings plus ``bench.settings``;
   locust, headless and in one process, plays specialists, supervisors, the program
   director, finance and an admin-baseline user, each reading Server-Timing from every answer;
   the supervisors open their team dashboard and the director the program dashboard, found by
   URL name (a name that does not resolve stops the run).
5. The saturation step, on the same server once the load is over (``bench.saturate``): the
   highest request rate the director's case list and the admin changelist each sustain with
   p95 under 250 ms, offered open-loop at rising rates, three runs each, the median kept.
6. The face sheet PDF is rendered through its real builder.
7. 5,000 training surveys on 100 events (the state's evaluation had 4,865 from 97): the
   evaluation, the results page and the period PDF over all of them.
8. var/bench/report.md and report.json; the report is printed.

``--reports-only`` stops after step 3's funder reports (no pages, load, face sheets or
training): the data and the reports' figures in a few minutes.

Exits non-zero if a step fails or any request during the run was answered wrongly; a
missed target is reported, not failed (the targets are not timed tests).
"""

import argparse
import json
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import psycopg2

from bench import report

ROOT = Path(__file__).resolve().parent.parent
# BENCH_OUT: another directory, for a run beside another one on the same checkout.
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "var" / "bench"))
LOG = OUT / "bench.log"
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bloom_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--time", default=os.environ.get("BENCH_TIME", "60s"), help="Browsing time once all are signed in: 60s, 2m"
    )
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS", "20")))
    parser.add_argument("--spawn-rate", type=float, default=5, help="People starting per second")
    parser.add_argument("--wait", default="0.5-2", help="Seconds each person pauses between pages, low-high")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--survivors", type=int, default=10_000)
    parser.add_argument(
        "--probe-survivors", type=int, default=1_000, help="The smaller size the query counts are compared at"
    )
    parser.add_argument("--access-log", type=int, default=300_000, help="Access-log entries at the full size")
    parser.add_argument(
        "--requests", type=int, default=50_000, help="Assistance requests at the full size (in proportion at the probe)"
    )
    parser.add_argument("--specialists", type=int, default=60)
    parser.add_argument("--teams", type=int, default=6)
    parser.add_argument("--face-sheets", type=int, default=20, help="Face sheet renders after the first")
    parser.add_argument("--training-surveys", type=int, default=5_000, help="Training surveys for the evaluation")
    parser.add_argument("--training-runs", type=int, default=10, help="Evaluation runs after the first")
    parser.add_argument("--report-runs", type=int, default=3, help="Builds of each funder report after the first")
    parser.add_argument(
        "--reports-only",
        action="store_true",
        help="Build the data and time the funder reports only: no pages, load, face sheets or training",
    )
    parser.add_argument("--saturation-runs", type=int, default=3, help="Runs of the saturation step per page (0: none)")
    parser.add_argument("--saturation-window", type=float, default=10, help="Seconds each rate is offered")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    return parser.parse_args(argv)


def seconds(duration: str) -> float:
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", duration)
    if not found:
        raise SystemExit(f"bench: BENCH_TIME must look like 60s, 2m or 90, not {duration!r}")
    return float(found.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[found.group(2)]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    name = urlsplit(args.database_url).path.lstrip("/")
    if not name.startswith("bloom_bench"):
        raise SystemExit(f"bench: refusing to drop {name!r}; the benchmark database's name starts with bloom_bench.")
    # A stop request ends the run through the same clean-up as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in ("report.md", "report.json", "bench.log", "gunicorn.log", "samples.json", "saturation.json"):
        (OUT / stale).unlink(missing_ok=True)
    started = time.monotonic()
    bench = Bench(args)
    results = bench.run()
    results["run"]["wall_s"] = time.monotonic() - started
    text = report.markdown(results)  # also adds the targets, met or missed, to the results
    (OUT / "report.json").write_text(json.dumps(results, indent=1, default=str))
    (OUT / "report.md").write_text(text)
    print(text)
    wrong = sum(results.get("load", {}).get("errors", {}).values()) + len(report.probe_failures(results))
    if wrong:
        say(f"{wrong} requests were answered wrongly; see Errors in var/bench/report.md.")
        return 1
    return 0


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.steps: dict[str, float] = {}
        self.seeded = {"survivors": 0, "access log entries": 0, "assistance requests": 0, "service events": 0}
        common = {
            **os.environ,
            "DATABASE_URL": args.database_url,
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
            "BLOOM_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        # Seeding is demo data, which Bloom refuses to write in production.
        self.dev_env = {**common, "BLOOM_ENV": "development", "DJANGO_SETTINGS_MODULE": "bloom.settings"}
        self.bench_env = {
            **common,
            "BLOOM_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # The simulated staff have no authenticator app; production would require one.
            "BLOOM_REQUIRE_MFA": "false",
            "BLOOM_SERVER_TIMING": "true",
        }

    def run(self) -> dict:
        args = self.args
        host = machine()
        small_log = round(args.access_log * args.probe_survivors / args.survivors)
        small_requests = round(args.requests * args.probe_survivors / args.survivors)
        with self.step("create the database"):
            self.create_database()
        with self.step("migrate"):
            self.manage(self.dev_env, "migrate", "--noinput")
        if not args.reports_only:
            with self.step("collect static files"):
                self.manage(self.bench_env, "collectstatic", "--noinput")
        with self.step(f"seed {args.probe_survivors:,} survivors, {small_requests:,} requests"):
            self.manage(self.dev_env, "seed_demo", f"--specialists={args.specialists}", f"--teams={args.teams}")
            self.grow(survivors=args.probe_survivors, access_log=small_log, requests=small_requests)
        probe_small = None if args.reports_only else self.measure("probe", f"probe-{args.probe_survivors}")
        funders_small = self.funder_reports(args.probe_survivors)
        with self.step(f"grow to {args.survivors:,} survivors, {args.requests:,} requests"):
            self.grow(survivors=args.survivors, access_log=args.access_log, requests=args.requests)
        results = {
            "run": self.settings(),
            "machine": host,
            "steps": self.steps,
            "dataset": self.measure("dataset", "dataset"),
            "seeded": self.seeded,
            "sizes": [args.probe_survivors, args.survivors],
        }
        if not args.reports_only:
            results["probe"] = {
                str(args.probe_survivors): probe_small,
                str(args.survivors): self.measure("probe", f"probe-{args.survivors}"),
            }
        results["funders"] = {
            str(args.probe_survivors): funders_small,
            str(args.survivors): self.funder_reports(args.survivors),
        }
        if not args.reports_only:
            results.update(self.under_load())
        results["run"]["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        return results

    def settings(self) -> dict:
        args = self.args
        return {
            "finished": "",
            "reports_only": args.reports_only,
            "users": args.users,
            "spawn_rate": args.spawn_rate,
            "wait": args.wait,
            "steady_s": seconds(args.time),
            "workers": args.workers,
            "worker_class": "sync",
            "saturation_runs": args.saturation_runs,
            "saturation_window_s": args.saturation_window,
        }

    def under_load(self) -> dict:
        """The load, the face sheets and the training evaluation, on the full-size database."""
        args = self.args
        self.measure("personas", "personas")
        load, saturation = self.load()
        with self.step("face sheets"):
            face_sheets = self.measure("face-sheets", "face-sheets", f"--runs={args.face_sheets}")
        with self.step(f"training: {args.training_surveys:,} surveys"):
            self.manage(self.dev_env, "seed_training", f"--surveys={args.training_surveys}")
            with self.sql() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            training = self.measure("training", "training", f"--runs={args.training_runs}")
        return {"load": load, "saturation": saturation, "face_sheets": face_sheets, "training": training}

    def funder_reports(self, survivors: int) -> dict:
        with self.step(f"funder reports at {survivors:,} survivors"):
            return self.measure("funders", f"funders-{survivors}", f"--runs={self.args.report_runs}")

    @contextmanager
    def step(self, name: str):
        say(f"{name} ...")
        started = time.monotonic()
        yield
        self.steps[name] = time.monotonic() - started

    def command(self, env: dict, *argv: str) -> None:
        with LOG.open("a") as log:
            log.write(f"\n$ {' '.join(argv)}\n")
            log.flush()
            done = subprocess.run(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
        if done.returncode:
            tail = "".join(LOG.read_text().splitlines(keepends=True)[-30:])
            raise SystemExit(f"{tail}\nbench: {' '.join(argv[1:])} failed (exit {done.returncode}); log: {LOG}")

    def manage(self, env: dict, *argv: str) -> None:
        self.command(env, PYTHON, "manage.py", *argv)

    def measure(self, what: str, name: str, *extra: str) -> dict:
        path = OUT / f"{name}.json"
        self.manage(self.bench_env, "bench_measure", what, f"--out={path}", *extra)
        return json.loads(path.read_text())

    @contextmanager
    def sql(self, database: str | None = None):
        """A cursor on the benchmark database (or ``database``), outside any transaction."""
        url = urlsplit(self.args.database_url)
        connection = psycopg2.connect(
            dbname=database or url.path.lstrip("/"),
            user=url.username,
            password=url.password,
            host=url.hostname,
            port=url.port or 5432,
        )
        connection.autocommit = True  # VACUUM and DROP DATABASE refuse to run in a transaction
        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            connection.close()

    def create_database(self) -> None:
        name = urlsplit(self.args.database_url).path.lstrip("/")
        with self.sql("postgres") as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')

    def grow(self, *, survivors: int, access_log: int, requests: int) -> None:
        """Add survivors, access-log entries and assistance requests up to these totals, tick services
        on the new contacts, then VACUUM ANALYZE.

        The requests come after the survivors, so that they are spread over all the cases.

        As autovacuum would soon after a bulk load on a live system; done now so that it
        neither runs during the measurements nor leaves the planner without statistics.
        """
        with self.sql() as cursor:
            cursor.execute("SELECT (SELECT count(*) FROM cases_survivor), (SELECT count(*) FROM audit_accesslogentry)")
            have_survivors, have_log = cursor.fetchone()
        more_survivors, more_log = max(0, survivors - have_survivors), max(0, access_log - have_log)
        self.manage(self.dev_env, "seed_demo", f"--survivors={more_survivors}", f"--access-log={more_log}")
        self.seeded["survivors"] += more_survivors
        self.seeded["access log entries"] += more_log
        with self.sql() as cursor:
            cursor.execute("SELECT count(*) FROM assistance_assistancerequest")
            (have_requests,) = cursor.fetchone()
        self.manage(self.dev_env, "seed_assistance", f"--requests={requests}")
        self.seeded["assistance requests"] += max(0, requests - have_requests)
        with self.sql() as cursor:
            cursor.execute("SELECT count(*) FROM cases_serviceevent")
            (have_events,) = cursor.fetchone()
        # The bench app (and so its commands) is installed only under bench.settings.
        self.manage(self.bench_env, "bench_seed_services")
        with self.sql() as cursor:
            cursor.execute("SELECT count(*) FROM cases_serviceevent")
            self.seeded["service events"] += cursor.fetchone()[0] - have_events
        with self.sql() as cursor:
            cursor.execute("VACUUM (ANALYZE)")

    def load(self) -> tuple[dict, dict | None]:
        """The load's statistics, and the saturation step's on the same server after it."""
        args = self.args
        port = free_port()
        samples = OUT / "samples.json"
        samples.unlink(missing_ok=True)
        env = {
            **self.bench_env,
            "BENCH_PERSONAS": str(OUT / "personas.json"),
            "BENCH_SAMPLES": str(samples),
            "BENCH_STEADY_SECONDS": str(seconds(args.time)),
            "BENCH_WAIT": args.wait,
        }
        with self.sql() as cursor:
            cursor.execute("CHECKPOINT")  # start the run without a backlog of dirty pages
        busy = psutil.cpu_percent(interval=2)
        if busy > 25:
            say(f"the machine is already {busy:.0f}% busy before the load; the times will be pessimistic.")
        with gunicorn(env, port=port, workers=args.workers) as server:
            with self.step("load"):
                warm_up(port, requests=args.workers * 3)
                cpu = CPUMeter(server, database=urlsplit(args.database_url).path.lstrip("/"))
                self.command(
                    env, PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                    f"--users={args.users}", f"--spawn-rate={args.spawn_rate}",
                    # An upper bound only: the locustfile stops the run once the steady state is over.
                    f"--run-time={int(seconds(args.time) + 300)}s", f"--host=http://127.0.0.1:{port}",
                    "--only-summary", "--exit-code-on-error=0", "--loglevel=WARNING",
                )  # fmt: skip
                usage = cpu.stop()
            # The same server, warm from the load; its sessions stay signed in.
            saturation = self.saturate(env, port) if args.saturation_runs else None
        return report.load_statistics(json.loads(samples.read_text()), cpu=usage), saturation

    def saturate(self, env: dict, port: int) -> dict:
        args = self.args
        path = OUT / "saturation.json"
        path.unlink(missing_ok=True)
        with self.step("saturation"):
            self.command(
                env, PYTHON, "-m", "bench.saturate", f"--port={port}", f"--personas={OUT / 'personas.json'}",
                f"--out={path}", f"--runs={args.saturation_runs}", f"--window={args.saturation_window}",
            )  # fmt: skip
        return json.loads(path.read_text())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict, *, port: int, workers: int):
    """gunicorn as in the Dockerfile, with sync workers; stopped however the run ends.

    Sync workers: Bloom's views are synchronous and wait on PostgreSQL, one request per
    process with its own persistent connection, as production runs them (Dockerfile).
    """
    argv = [
        PYTHON, "-m", "gunicorn", "bloom.wsgi", f"--workers={workers}", "--worker-class=sync",
        f"--bind=127.0.0.1:{port}", "--graceful-timeout=5", f"--error-logfile={OUT / 'gunicorn.log'}",
        # No control socket: it would go to ~/.gunicorn and clash with another gunicorn there.
        "--no-control-socket",
    ]  # fmt: skip
    # A session of its own: Ctrl-C reaches this script, which then stops gunicorn cleanly.
    server = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"bench: gunicorn did not start; see {OUT / 'gunicorn.log'}")
            time.sleep(0.2)
        yield server
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)  # its own group: gunicorn and its workers
            server.wait()


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def warm_up(port: int, *, requests: int) -> None:
    """Let every worker load its templates and open its database connection first."""
    for _ in range(requests):
        answers(port)


class CPUMeter:
    """CPU seconds during the load, by who used them: gunicorn, PostgreSQL, locust, the rest.

    Every process is sampled twice a second, so one that ends meanwhile (a database
    connection recycled after CONN_MAX_AGE) keeps what it used. The machine's total, and
    the time the hypervisor took for other guests (steal), come from the kernel.
    """

    def __init__(self, server: subprocess.Popen, *, database: str):
        self.server = server.pid
        self.database = database
        self.started = time.monotonic()
        self.machine = psutil.cpu_times()
        self.first: dict[tuple, float] = {}
        self.last: dict[tuple, tuple[str, float]] = {}
        self.done = threading.Event()
        self.sample(initial=True)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.sample()

    def sample(self, *, initial: bool = False) -> None:
        for process in psutil.process_iter(["pid", "ppid", "name", "username", "cmdline", "create_time"]):
            with suppress(psutil.Error):
                times = process.cpu_times()
                key = (process.info["pid"], process.info["create_time"])
                used = times.user + times.system
                # A process already running at the start counts from there; a new one from zero.
                self.first.setdefault(key, used if initial else 0.0)
                self.last[key] = (self._who(process.info), used)

    def _who(self, info: dict) -> str:
        if self.server in (info["pid"], info["ppid"]):
            return "gunicorn"
        if info["username"] == "postgres" or (info["name"] or "").startswith("postgres"):
            # A backend's title names its database: "postgres: 15/main: postgres bloom_bench 127.0.0.1(...)".
            backend = re.search(r": \S+ (\S+) [\d.:]+\(", " ".join(info["cmdline"] or []))
            if backend and backend.group(1) != self.database:
                return f"other: postgres for {backend.group(1)}"
            return "postgresql"
        if "locust" in " ".join(info["cmdline"] or []):
            return "locust"
        if info["pid"] == os.getpid():
            return "bench runner"
        return f"other: {info['name']}"

    def stop(self) -> dict:
        self.done.set()
        self.thread.join()
        self.sample()
        elapsed = time.monotonic() - self.started
        now = psutil.cpu_times()
        busy = sum(now) - now.idle - now.iowait - (sum(self.machine) - self.machine.idle - self.machine.iowait)
        used: Counter = Counter()
        for key, (who, last) in self.last.items():
            used[who] += max(0.0, last - self.first.get(key, 0.0))
        others = Counter({who.removeprefix("other: "): s for who, s in used.items() if who.startswith("other: ")})
        return {
            "elapsed_s": elapsed,
            "cores": psutil.cpu_count(),
            "busy_s": busy,
            "steal_s": getattr(now, "steal", 0.0) - getattr(self.machine, "steal", 0.0),
            "gunicorn_s": used["gunicorn"],
            "postgresql_s": used["postgresql"],
            "locust_s": used["locust"],
            "other_s": sum(others.values()) + used["bench runner"],
            "top_others": [[name, round(s, 1)] for name, s in others.most_common(3) if s >= 0.5],
        }


def machine() -> dict:
    model = ""
    with suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        model = found.group(1) if found else ""
    return {
        "cores": os.cpu_count(),
        "cpu": model or platform.processor(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        **{package: metadata.version(package) for package in ("django", "gunicorn", "locust", "weasyprint")},
        "load_average_before": os.getloadavg()[0],
    }


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        say("interrupted; gunicorn is stopped and bloom_bench is left as it was.")
        sys.exit(130)
