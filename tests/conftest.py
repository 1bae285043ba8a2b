import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from bloom.accounts.models import Role, Team, User
from bloom.celery import app
from cases.models import Case
from tests.factories import make_case, make_team, make_user

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def celery_worker(transactional_db, django_db_serialized_rollback, tmp_path):
    """A real ``celery worker`` process on the test database and Redis; stopped afterwards.

    Yields the process and its log file. Generated files go to ``tmp_path/private``, the
    same folder ``_private_files`` gives the test process.
    """
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "BLOOM_PRIVATE_ROOT": str(tmp_path / "private"),
    }
    app.control.purge()
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "bloom", "worker", "--pool=solo", "--loglevel=INFO"],
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


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    # Generated reports go to a throwaway folder, never the developer's var/private.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
