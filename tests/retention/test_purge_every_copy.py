"""After a whole purge no copy Bloom keeps holds the survivor's words, and another survivor's are all there.

Two survivors, each with a token of their own in every identifying and narrative field of every
record of their cases (``tests/retention/records.py``, driven by the privacy registry), in the
bytes of their uploaded files (an earlier upload only a history row names too), in a generated
report, a notification and the access log's reasons. The whole of the first survivor's record is
purged; then a ``pg_dump --data-only`` of the database (history tables and all) and every file
under the storage that keeps uploads and generated reports are searched. The data must be
committed for pg_dump to see it, so this module's one test commits.
"""

import os
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from assistance.models import Fund
from bloom import privacy
from bloom.directory.models import Organization
from bloom.reports.models import ReportJob
from cases.models import Case, Document, FamilyMember, Survivor
from cases.service_report.printing import TEAM_KIND
from cases.services import reenroll
from cases.services.contacts import log_contact
from phases.services.goals import set_goal
from retention.models import Level
from retention.purge import purge_case, purge_survivor
from tests.factories import close_case, make_case, make_fund
from tests.retention.records import Staff, Tokens, at, case_rows, fill, plant, remove_planted

# It commits: the migrations' rows (roles, content types) are put back after it, as they were.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIRST = Tokens("Qv1t", birthday=date(1913, 7, 13))
SECOND = Tokens("Qv2t", birthday=date(1917, 3, 3))


def pg_dump() -> str:
    """The test database's data, as ``pg_dump --data-only`` writes it."""
    executable = shutil.which("pg_dump")
    assert executable, "pg_dump was not found on PATH: install the PostgreSQL client (postgresql-client)."
    db = connection.settings_dict
    command = [
        executable, "--data-only", "--no-owner", "--host", db["HOST"] or "localhost", "--port",
        str(db["PORT"] or 5432), "--username", db["USER"], db["NAME"],
    ]  # fmt: skip
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    done = subprocess.run(command, capture_output=True, env=env, check=False, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


def stored_text() -> str:
    """Every file under the storage of uploaded documents and of generated reports, as text."""
    roots = {Path(each._meta.get_field("file").storage.location) for each in (Document, ReportJob)}
    files = sorted(path for root in roots for path in root.rglob("*") if path.is_file())
    return "\n".join(f"{path}: {path.read_bytes().decode('latin-1')}" for path in files)


def found(tokens: Tokens, text: str) -> set[str]:
    return set(re.findall(rf"{tokens.prefix}\d+w", text))


def tables_holding(tokens: Tokens, dump: str) -> dict[str, int]:
    """{table: how many of ``tokens`` it holds} in a dump, to say where a leak is."""
    holding = {}
    for block in dump.split("\nCOPY ")[1:]:
        if count := len(found(tokens, block)):
            holding[block.split(" ", 1)[0]] = count
    return holding


def build(world, fund, organization):
    """Survivor 1: a closed case and the enrollment after it; survivor 2: one case. Every record."""
    staff = Staff(specialist=world.specialist, supervisor=world.supervisor, finance=world.finance,
                  outsider=world.outsider)  # fmt: skip
    today = timezone.localdate()
    made = []
    for tokens in (FIRST, SECOND):
        case = make_case(team=world.team_a, specialists=[world.specialist], legal_name=tokens(),
                         opened_on=today - timedelta(days=120))  # fmt: skip
        made.append(fill(case, staff, fund=fund, tokens=tokens, organization=organization))
    first_case = made[0].case
    close_case(first_case, by=world.specialist, approver=world.supervisor, closed_on=today - timedelta(days=5))
    again = reenroll(first_case, by=world.supervisor, on=today, team=world.team_a, specialists=[world.specialist])
    log_contact(again, by=world.specialist, kind="phone", occurred_at=at(today, 0), initiated_by="staff",
                note=FIRST())  # fmt: skip
    set_goal(again, by=world.specialist, in_own_words=FIRST(), domain="housing")
    for tokens, each in zip((FIRST, SECOND), made, strict=True):
        plant(each.case.survivor, tokens)
        remove_planted(each, by=world.specialist)
    return made


def test_a_whole_purge_leaves_no_copy_of_the_survivors_words_and_every_copy_of_anothers(committed_world):
    world = committed_world
    fund = make_fund(world.director)
    made = build(world, fund, Organization.objects.create(name="Legal aid"))
    # The award's own retention has ended: nothing is kept for a grant audit (tested apart).
    Fund.objects.filter(pk=fund.pk).update(final_report_on=date(2019, 12, 1))
    first, second = (each.case.survivor for each in made)
    before_dump, before_files = pg_dump(), stored_text()
    today = timezone.localdate()

    with transaction.atomic():
        cases = list(Case.objects.select_for_update().filter(survivor=first).order_by("pk"))
        counts = [purge_case(case, Level.IDENTITY, today=today) for case in cases]
        counts.append(purge_survivor(Survivor.objects.select_for_update().get(pk=first.pk), today=today))
    after_dump, after_files = pg_dump(), stored_text()

    # Arranged as said: every record of every kind, each field of theirs planted, found before.
    for survivor, tokens in ((first, FIRST), (second, SECOND)):
        empty = [privacy.label(model) for model, path in privacy.case_models()
                 if not any(case_rows(model, path, case).exists() for case in survivor.cases.all())]  # fmt: skip
        assert empty == [], f"no row of these for survivor {tokens.prefix}"
        assert _unplanted(tokens) == set(), tokens.prefix
    first_before = found(FIRST, before_dump + before_files)
    second_before = found(SECOND, before_dump + before_files)
    assert (len(first_before) > 250, len(second_before) > 250) == (True, True)
    assert FIRST.birthday.isoformat() in before_dump
    # The proof.
    assert tables_holding(FIRST, after_dump) == {}
    assert found(FIRST, after_files) == set()
    assert FIRST.birthday.isoformat() not in after_dump
    # But for the team's service report, which may print the first survivor too: it goes.
    in_team_report = {token for token, origin in SECOND.origins.items() if f"({TEAM_KIND})" in origin}
    assert second_before - found(SECOND, after_dump + after_files) == in_team_report
    assert len(in_team_report) == 2
    assert SECOND.birthday.isoformat() in after_dump
    # What a dump of text cannot show: the links and dates that identified them are gone too.
    history = Survivor.history.filter(id=first.pk)
    assert (history.exclude(town=None).count(), history.exclude(date_of_birth=None).count()) == (0, 0)
    assert FamilyMember.history.filter(case__survivor=first).exclude(date_of_birth=None).count() == 0
    assert all(sum(each.values()) > 0 for each in counts)


def _unplanted(tokens: Tokens) -> set[str]:
    """The identifying and narrative fields of the case records and the survivor that hold no
    planted value (none should, but those a constraint keeps empty in some row)."""
    wanted = set()
    for model in [Survivor, *(model for model, _path in privacy.case_models())]:
        history = model.history.model if hasattr(model, "history") else None
        for table in (model, history) if history else (model,):
            names = (*privacy.identifying_fields(table), *privacy.narrative_fields(table))
            wanted |= {f"{privacy.label(table)}.{name}" for name in names if name != "client_code"}
    return wanted - tokens.planted - tokens.refused
