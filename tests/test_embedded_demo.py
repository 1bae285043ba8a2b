"""`make run` on a fresh machine: the migrations, the demo data and the main pages on SQLite.

The rest of the suite runs on PostgreSQL, as production does. This test is what keeps the
embedded defaults honest: it migrates a new SQLite file, loads the demo as `make run` does,
then signs in as the demo people and opens the pages they use most, each in a separate
process so nothing of the PostgreSQL test database leaks in.
"""

import os
import subprocess

import pytest

from tests import clock
from tests.conftest import ROOT

PAGES = """
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment

from bloom.accounts.models import User
from cases.models import Case

setup_test_environment()
settings.ALLOWED_HOSTS = ["testserver"]
failures = []
for email in ("specialist@bloom.demo", "supervisor@bloom.demo", "director@bloom.demo", "finance@bloom.demo"):
    client = Client()
    client.force_login(User.objects.get(email=email))
    paths = ["/", "/cases/", "/cases/?q=mar", "/plans/reviews/", "/plans/templates/", "/notifications/",
             "/reports/teams/", "/reports/dashboard/", "/assistance/queue/approval/",
             "/assistance/queue/approval/?mine=1", "/assistance/queue/payment/"]
    for case in Case.objects.filter(plan__isnull=False, safety_plans__isnull=False).distinct()[:2]:
        paths += [f"/cases/{case.pk}/{tab}" for tab in ("", "plan/", "goals/", "budget/", "safety/", "timeline/")]
    for path in paths:
        status = client.get(path).status_code
        if status not in (200, 403, 404):
            failures.append(f"{email} {path} {status}")
# Outreach's pages must open (not merely be refused) for the people who use them.
from datetime import timedelta
from django.utils import timezone
today = timezone.localdate()
from cases.models import IntakeRequest
from outreach.models import OutreachSession
year_ago = (today - timedelta(days=365)).isoformat()
OUTREACH = {
    "outreach@bloom.demo": [
        "/outreach/", "/outreach/dashboard/", f"/outreach/dashboard/?start={year_ago}&end={today}&venue=hotel",
        "/outreach/dashboard.csv?by=venue", "/outreach/volunteers/", "/outreach/partnerships/",
        "/outreach/sessions/new/", f"/outreach/sessions/{OutreachSession.objects.first().pk}/",
    ],
    "volunteer@bloom.demo": ["/outreach/mine/", "/"],
    "specialist@bloom.demo": ["/cases/intake-requests/", f"/cases/intake-requests/{IntakeRequest.objects.first().pk}/"],
}
# Training's pages, for the trainer and for the director who follows the work: an event with
# surveys and its results, the results over a period, and the survey link of the next event,
# which anyone opens without signing in (its survey before the training is open).
from django.utils import timezone
from training.models import TrainingEvent
now = timezone.now()
surveyed = TrainingEvent.objects.filter(starts_at__lt=now, responses__isnull=False).order_by("-starts_at").first()
coming = TrainingEvent.objects.filter(starts_at__gt=now, instrument__isnull=False).order_by("starts_at").first()
period = f"/training/results/?start={year_ago}&end={today}&by=quarter"
event = f"/training/events/{surveyed.pk}/"
TRAINING = {
    "trainer@bloom.demo": [
        "/", "/training/", event, f"{event}results/", f"{event}surveys/", f"{event}surveys/paper/",
        "/training/results/", period, "/training/curricula/", "/training/trainers/", "/training/surveys/",
        f"/training/events/{coming.pk}/", f"/training/events/{coming.pk}/survey-sheet/",
    ],
    "director@bloom.demo": ["/training/", event, f"{event}results/", period],
    None: [f"/s/{coming.survey_token}/", f"/s/{coming.survey_token}/pre/"],
}
for email, paths in {**OUTREACH, **TRAINING}.items():
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    for path in paths:
        status = client.get(path).status_code
        if status != 200:
            failures.append(f"{email} {path} {status}")
# The funder and program reports, for the director: the list, each report on its last complete
# period, and a workbook and a CSV of one.
from bloom.reports import funders
client = Client()
client.force_login(User.objects.get(email="director@bloom.demo"))
for path in ["/reports/program/", *(f"/reports/program/{kind}/" for kind in funders.DEFINITIONS),
             "/reports/program/victim-services-quarterly/export/xlsx/", "/reports/program/state-tables/export/csv/"]:
    status = client.get(path).status_code
    if status != 200:
        failures.append(f"director@bloom.demo {path} {status}")
print("FAILURES", failures)
"""


@pytest.mark.demo
def test_make_run_migrates_seeds_and_serves_the_demo_on_sqlite(tmp_path):
    env = clock.subprocess_env(
        {
            **os.environ,
            "BLOOM_ENV": "development",
            "BLOOM_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bloom.sqlite3'}",
            "REDIS_URL": "",
        },
        running=False,
    )

    def manage(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            clock.subprocess_command("manage.py", *args),
            cwd=ROOT,
            env=env,
            input=stdin,
            check=False,  # the assertion below shows what went wrong
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    assert "Demo logins" in manage("seed_demo")
    out = manage("shell", "-v0", stdin=PAGES)

    assert "FAILURES []" in out, out[-4000:]
