import copy
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import time_machine
from django.conf import settings
from django.db import connection, connections, transaction
from django.test import override_settings
from django.utils import timezone, translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis.database import DirectoryBasedExampleDatabase
from pytest_django.plugin import blocking_manager_key

from bloom.accounts.models import Role, Team, User
from bloom.celery import app
from cases.models import Case
from tests import clock
from tests.factories import make_case, make_team, make_user

ROOT = Path(__file__).resolve().parent.parent

# Keep the compiled modules and pytest's rewritten test modules even where the environment asks for
# none (PYTHONDONTWRITEBYTECODE, as in the Docker image). `make test` starts four runs of two
# workers, and each collects the whole suite: without the caches every one of them rewrites every
# test module and compiles the project again, about half of its collection. (The caches are ignored
# by git, and each is checked against its source's size and time as it is read.)
sys.dont_write_bytecode = False


# Random search. `ci` (the default): the same examples every run, so the suite never fails by chance.
# `dev`: random and small, for a developer's loop. `deep` (`make fuzz`): random and long, the seed
# printed by `make fuzz`, failing examples kept in var/hypothesis and replayed first next time.
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
hypothesis_settings.register_profile(
    "ci", derandomize=True, max_examples=5, database=None, deadline=None, suppress_health_check=_SLOW_IS_FINE
)
hypothesis_settings.register_profile("dev", max_examples=20, database=None, deadline=None,
                                     suppress_health_check=_SLOW_IS_FINE)  # fmt: skip
hypothesis_settings.register_profile(
    "deep",
    max_examples=400,
    database=DirectoryBasedExampleDatabase(ROOT / "var" / "hypothesis"),
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
hypothesis_settings.load_profile("ci")


def pytest_addoption(parser):
    parser.addoption(
        "--at",
        default=os.environ.get(clock.ENV_AT) or clock.DEFAULT_AT,
        help=f"the instant the clock stands at for the whole run (ISO; naive is local; default {clock.DEFAULT_AT})",
    )


def pytest_sessionstart(session):
    """Start each run with an empty var/e2e (the browser journeys' screenshots): once, in the
    process that runs or shares out the tests (an xdist worker has ``workerinput``), so one worker
    never empties another's. Here, not in tests/e2e/conftest.py: pytest calls this hook only in
    the conftest files it loads before collecting."""
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(ROOT / "var" / "e2e", ignore_errors=True)


def pytest_configure(config):
    # Pinned before the test modules are imported: a module's TODAY is the run's today.
    config._pinned_clock = time_machine.travel(clock.parse_instant(config.getoption("--at")), tick=False)
    config._pinned_clock.start()
    if worker := os.environ.get("PYTEST_XDIST_WORKER"):
        _own_redis_database(int(worker.removeprefix("gw")))


def _own_redis_database(index: int) -> None:
    """Each xdist worker queues its Celery tasks in its own Redis database: the given one for the
    first worker, the one below it for the second, and so on down to 0 (no two workers share one,
    so no worker process takes another's task)."""
    parts = urlsplit(settings.CELERY_BROKER_URL)
    if parts.scheme != "redis":
        return
    base = int(parts.path.strip("/") or 0)
    if index > base:
        raise pytest.UsageError(
            f"xdist worker gw{index} has no Redis database below {base} (TEST_REDIS_URL): run fewer "
            "workers (WORKERS=n) or give a higher database"
        )
    url = urlunsplit(parts._replace(path=f"/{base - index}"))
    settings.CELERY_BROKER_URL = url
    app.conf.broker_url = url


def pytest_unconfigure(config):
    if pinned := getattr(config, "_pinned_clock", None):
        pinned.stop()


@pytest.fixture
def ticking_clock():
    """The clock runs on from the pinned instant: a browser or a worker needs time to pass."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """This worker's test database, copied from a migrated template (``tests/database.py``)."""
    from tests import database  # noqa: PLC0415 (Django's database layer is set up by now)

    with django_db_blocker.unblock():
        names = database.setup_from_template()
    yield
    with django_db_blocker.unblock():
        database.teardown(*names)


@pytest.fixture(autouse=True, scope="session")
def _real_database(django_db_setup, django_db_blocker):
    # The suite proves behaviour on the production database engine, never on SQLite.
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", "Run the tests with `make test` (PostgreSQL and Redis)."


@dataclass
class World:
    """Two teams with one case each, and one person in every position around them."""

    team_a: Team
    team_b: Team
    specialist: User  # assigned to case_a
    colleague: User  # on team A, not assigned to case_a
    supervisor: User  # supervises team A
    outsider: User  # specialist on team B, assigned to case_b
    director: User
    finance: User
    outreach: User
    volunteer: User
    trainer: User
    administrator: User
    case_a: Case
    case_b: Case

    def everyone(self) -> dict[str, User]:
        names = [
            "specialist", "colleague", "supervisor", "outsider", "director",
            "finance", "outreach", "volunteer", "trainer", "administrator",
        ]  # fmt: skip
        return {name: getattr(self, name) for name in names}


def build_world() -> World:
    specialist = make_user(Role.SPECIALIST, full_name="Sam Specialist")
    colleague = make_user(Role.SPECIALIST, full_name="Cora Colleague")
    supervisor = make_user(Role.SUPERVISOR, full_name="Sue Supervisor")
    outsider = make_user(Role.SPECIALIST, full_name="Otto Outsider")
    supervisor_b = make_user(Role.SUPERVISOR, full_name="Bea Supervisor")
    team_a = make_team("Team A", supervisors=[supervisor], members=[specialist, colleague])
    team_b = make_team("Team B", supervisors=[supervisor_b], members=[outsider])
    return World(
        team_a=team_a,
        team_b=team_b,
        specialist=specialist,
        colleague=colleague,
        supervisor=supervisor,
        outsider=outsider,
        director=make_user(Role.PROGRAM_DIRECTOR, full_name="Dana Director"),
        finance=make_user(Role.FINANCE),
        outreach=make_user(Role.OUTREACH_WORKER),
        volunteer=make_user(Role.VOLUNTEER),
        trainer=make_user(Role.TRAINER),
        administrator=make_user(Role.ADMINISTRATOR, is_staff=True),
        case_a=make_case(team=team_a, specialists=[specialist], legal_name="Alma Alpha"),
        case_b=make_case(team=team_b, specialists=[outsider], legal_name="Bruno Beta"),
    )


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction open for the whole module and rolled back after it.

    What a module-scoped fixture writes inside it is seen by every test of the module (each in
    its own savepoint, rolled back after the test) and by nothing else. A module that holds
    tests which commit (a worker, a browser, two threads) cannot use it: see
    ``pytest_collection_modifyitems``.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_world(module_transaction, django_db_blocker) -> World:
    """The world, built once for a module (see ``module_transaction``)."""
    with django_db_blocker.unblock():
        return build_world()


@pytest.fixture
def world(module_world, db) -> World:
    """The module's world, copied so that nothing one test changes in memory reaches the next."""
    return copy.deepcopy(module_world)


@pytest.fixture(scope="module")
def module_program(module_world, django_db_blocker):
    """The team program counted by hand (``tests/bloom/reports/team_program.py``), built once for a module."""
    from tests.bloom.reports.team_program import build_team_program  # noqa: PLC0415 (only its modules need it)

    with django_db_blocker.unblock():
        return build_team_program(copy.deepcopy(module_world))


@pytest.fixture
def program(module_program, db):
    """The module's team program, copied as ``world`` is."""
    return copy.deepcopy(module_program)


@pytest.fixture(scope="module")
def module_objects(module_world, django_db_blocker):
    """Every kind of record around the module's world (``tests/objects.py``), made once for the module."""
    from tests.objects import build_objects  # noqa: PLC0415 (it imports this module)

    with django_db_blocker.unblock():
        return build_objects(module_world)


@pytest.fixture
def objects(module_objects, db):
    """The module's objects, copied so that nothing one test changes in memory reaches the next."""
    return copy.deepcopy(module_objects)


@pytest.fixture
def committed_world(transactional_db) -> World:
    """A world of one's own, committed for another process or thread to see; removed after the test."""
    return build_world()


COMMITS = {"transactional_db", "live_server", "celery_worker", "committed_world", "e2e_world"}


def commits(item) -> bool:
    """Whether a test commits what it writes (and so empties the database after it)."""
    names = set(getattr(item, "fixturenames", ()))
    return bool(COMMITS & names) or any(m.kwargs.get("transaction") for m in item.iter_markers("django_db"))


def serialized_rollback(item) -> bool:
    """Whether a test puts back the migrations' rows as it starts (Django's serialized rollback)."""
    marker = item.get_closest_marker("django_db")
    return "django_db_serialized_rollback" in item.fixturenames or bool(
        marker and marker.kwargs.get("serialized_rollback")
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that commits, put back what the migrations installed (roles, permissions, the
    default phase templates and survey): its teardown emptied every table, and on an xdist worker
    the next test may well be one that expects them."""
    result = yield
    # After the last test the database is gone; a next test with a serialized rollback puts the
    # rows back itself, as it starts.
    if commits(item) and nextitem is not None and not serialized_rollback(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            for alias in connections:
                contents = getattr(connections[alias], "_test_serialized_contents", None)
                if contents:
                    connections[alias].creation.deserialize_db_from_string(contents)
    return result


def pytest_itemcollected(item):
    """A test that starts a Celery worker is marked `worker` wherever it is, as it is collected,
    before `-m` selects (so `make test-fast` leaves it out)."""
    if "celery_worker" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.worker)


# Tests that take several seconds each: a browser, a worker process, the embedded demo.
SLOW_FIXTURES = {"open_browser", "celery_worker"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Refuse a test that commits but shares the module's world, and a module that mixes the two:
    the module's transaction would hide what the one commits, or be swept away by it.

    Then put the slowest tests first, so that on xdist they start early and the workers finish
    together (pytest-django put the tests that commit last; after each, the migrations' rows are
    put back, so their place does not matter).
    """
    kinds: dict[str, set[str]] = {}
    for item in items:
        committing = commits(item)
        shares = "module_transaction" in getattr(item, "fixturenames", ())
        if committing and shares:
            raise pytest.UsageError(f"{item.nodeid} commits: use committed_world, not world")
        if committing or shares:
            kinds.setdefault(item.module.__name__, set()).add("commits" if committing else "shares")
    unlisted = sorted(
        {item.nodeid.partition("::")[0] for item in items if item.get_closest_marker("clock")}
        - set(clock.clock_modules())
    )
    if unlisted:
        raise pytest.UsageError(
            "make test runs the clock tests of the modules that write pytest.mark.clock; these mark "
            f"them another way, so they would never run at the awkward instants: {', '.join(unlisted)}"
        )
    mixed = sorted(module for module, seen in kinds.items() if len(seen) == 2)
    if mixed:
        raise pytest.UsageError(
            "These modules mix tests that share the module's world with tests that commit; "
            f"move the committing tests to a module of their own: {', '.join(mixed)}"
        )
    items.sort(key=lambda item: not (SLOW_FIXTURES & set(item.fixturenames) or item.get_closest_marker("demo")))


@pytest.fixture
def celery_worker(ticking_clock, transactional_db, django_db_serialized_rollback, private_root, tmp_path):
    """A real ``celery worker`` process on the test database and Redis; stopped afterwards.

    Yields the process and its log file. Generated files go to ``private_root``, as the test
    process's do.
    """
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    env = clock.subprocess_env(
        {
            **os.environ,
            "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": settings.CELERY_BROKER_URL,
            "BLOOM_PRIVATE_ROOT": str(private_root),
        },
        running=True,
    )
    app.control.purge()
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            clock.subprocess_command("-m", "celery", "-A", "bloom", "worker", "--pool=solo", "--loglevel=INFO"),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(autouse=True, scope="session")
def private_root(tmp_path_factory) -> Path:
    """Uploaded and generated files go to a throwaway folder, never the developer's var/private."""
    root = tmp_path_factory.mktemp("private")
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    with override_settings(STORAGES=storages):
        yield root


@pytest.fixture(autouse=True)
def language_as_it_was():
    """Each test starts in the program's language. A request from someone who works in Spanish
    activates Spanish in this thread, as every request activates its reader's language; without
    this, the next test on the same worker would start in Spanish, or not, by the order of tests."""
    yield
    translation.deactivate()
