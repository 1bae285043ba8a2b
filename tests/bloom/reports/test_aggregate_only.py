"""No funder or program report, in any format, holds anything but counts.

Every table's ids are restarted far above any count, every kind of record is made, and then
every identifying and narrative field of every row (history rows too) is overwritten with a
value of its own (``tests/bloom/reports/planted.py``). Each report kind is then produced in
every format the reader can have (the page, CSV, XLSX, and the PDF the worker builds), over
every case and under one award, and searched for any planted value, the planted birthday, a
client code, a staff member's name or email, and any record id.
"""

import csv
import html
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from assistance.services.awards import add_case_award
from bloom import privacy
from bloom.directory.models import Organization
from bloom.reports import funders, services
from bloom.reports.dashboards import program
from bloom.reports.figures import Period, fiscal_year_start
from bloom.reports.models import ReportJob
from bloom.reports.submissions import submit_report
from cases.models import FamilyMember, Race, Service
from cases.services import add_family_member, record_mandated_report, record_screening, save_safety_plan
from cases.services.contacts import log_contact, record_stage
from cases.services.sharing import make_referral
from phases.services.goals import add_goal_note, add_step
from tests.bloom.reports.planted import (
    FIRST_ID,
    Planted,
    Search,
    plant,
    put_back_sequences,
    restart_sequences,
)
from tests.bloom.reports.test_printouts import pdf_text
from tests.conftest import World, build_world
from tests.factories import close_case, make_case
from tests.objects import Objects, build_objects

KINDS = tuple(funders.DEFINITIONS)
FORMATS = ("page", "csv", "xlsx", "pdf")
SEX_TRAFFICKING = {"actions": ["recruits"], "means": ["confinement"], "purposes": ["commercial sex"]}


@dataclass
class Data:
    world: World
    objects: Objects
    planted: Planted
    period: Period


def serve_in_period(world: World, fund, period: Period):
    """Three survivors served in the period under ``fund``'s award, through the services: services
    ticked on contacts, a screening, a family member and a referral each; the last one closed.
    Returns the first one's case."""
    ticked = list(Service.objects.filter(key__in=["transportation", "individual-counseling"]))
    legal_aid = Organization.objects.create(name="Survivor legal aid", kind=Organization.Kind.VICTIM_SERVICES)
    people = [
        {"date_of_birth": date(1990, 5, 1), "gender": "female", "race": [Race.BLACK]},
        {"estimated_age": 16, "gender": "male", "race": [Race.HISPANIC, Race.WHITE]},
        {"estimated_age": 45, "gender": "female", "race": [Race.ASIAN]},
    ]
    cases = []
    for n, details in enumerate(people):
        opened_on = period.start + timedelta(days=10 + 20 * n)
        case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=opened_on, **details)
        for day in (opened_on, opened_on + timedelta(days=7)):
            log_contact(
                case,
                by=world.specialist,
                kind="in person",
                occurred_at=datetime.combine(day, time(11), tzinfo=timezone.get_current_timezone()),
                initiated_by="staff",
                services=ticked,
            )
        context = {"age_at_first_exploitation": 14 + n, "residence": "runaway"}
        record_screening(case, by=world.specialist, answers=SEX_TRAFFICKING, context=context, sensitive_allowed=True)
        add_family_member(case, by=world.specialist, name="A sister", relation=FamilyMember.Relation.SIBLING)
        make_referral(
            case,
            by=world.specialist,
            direction="out",
            organization=legal_aid,
            service_type="immigration legal aid",
            made_on=opened_on + timedelta(days=7),
            note="",
            share_identifying=False,
        )
        add_case_award(case, by=world.specialist, fund=fund)
        cases.append(case)
    close_case(cases[-1], by=world.specialist, approver=world.supervisor, closed_on=period.end - timedelta(days=1))
    return cases[0]


def fill_in(case, objects: Objects) -> None:
    """Records the world's objects leave out, so that their fields hold planted values too: a safe
    place, a progress note, a partner's step, a mandated report, a stage of change."""
    by, today = objects.world.specialist, timezone.localdate()
    places = [{"place": "The library", "note": "Open late"}]
    save_safety_plan(case, by=by, risks=[], people=[], places=places, review_on=today + timedelta(days=30))
    add_goal_note(objects.goal, by=by, written_on=today, note="Saw two flats")
    add_step(objects.goal, by=by, description="Meet the lawyer", owner="partner", partner="Legal aid")
    record_mandated_report(
        case, by=by, kind="mdt", made_at=timezone.now(), made_by="Sam", reference="MDT-1", notes="Team met"
    )
    record_stage(case, by=by, stage="contemplation", observed_on=today, note="Thinking it over")


@pytest.fixture(scope="module")
def data(module_transaction, django_db_blocker) -> Data:
    """Every kind of record, with ids from FIRST_ID up, then every identifying and narrative field
    planted; the id sequences are put back afterwards (they ignore the rollback)."""
    with django_db_blocker.unblock():
        saved = restart_sequences(privacy.project_models())
    try:
        with django_db_blocker.unblock():
            # 150 days from the start of a fiscal year (the victim-services report counts within
            # one), ended by today whatever the day the clock is pinned to.
            start = fiscal_year_start(timezone.localdate() - timedelta(days=150))
            period = Period(start, start + timedelta(days=150))
            assert period.end <= timezone.localdate()
            world = build_world()
            objects = build_objects(world)
            fill_in(serve_in_period(world, objects.fund, period), objects)
            # A submission of one report, so that its page shows what was submitted and by whom.
            report = funders.DEFINITIONS[funders.VICTIM_SERVICES].build(period, None)
            submit_report(report, fund=None, by=world.director)
            built = Data(world=world, objects=objects, planted=plant(), period=period)
        yield built
    finally:
        with django_db_blocker.unblock():
            put_back_sequences(saved)


def page_text(response) -> str:
    """The page's markup with entities decoded, so a value in an attribute or escaped is found."""
    return html.unescape(response.content.decode())


def csv_text(response) -> str:
    rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    return "\n".join(" | ".join(row) for row in rows)


def xlsx_text(content: bytes) -> str:
    """Every cell of every sheet, the sheets' names and the workbook's properties, and every part
    of the file as written (what a cell hides, a part still holds)."""
    workbook = load_workbook(io.BytesIO(content))
    lines = [str(value) for value in vars(workbook.properties).values() if value]
    for sheet in workbook.worksheets:
        lines.append(sheet.title)
        lines += [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    with zipfile.ZipFile(io.BytesIO(content)) as parts:
        lines += [html.unescape(parts.read(name).decode("utf-8", "replace")) for name in parts.namelist()]
    return "\n".join(lines)


def pdf_document_text(content: bytes) -> str:
    """The PDF's text and its metadata (title, author, creator)."""
    metadata = PdfReader(io.BytesIO(content)).metadata or {}
    return "\n".join([pdf_text(content), *(str(value) for value in metadata.values())])


def _pdf(client: Client, kind: str, query: dict) -> str:
    """The report's PDF as the reader gets it: asked for, built by the worker's function, downloaded."""
    response = client.post(reverse("reports:request", args=[kind, 0]), query)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ReportJob.objects.get(public_id=resolve(response["Location"]).kwargs["public_id"])
    services.run_report_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (ReportJob.Status.DONE, ""), job.kind
    download = client.get(reverse("reports:download", args=[job.public_id]))
    assert download.status_code == 200, job.kind
    content = b"".join(download.streaming_content)
    return "\n".join([download["Content-Disposition"], job.filename, pdf_document_text(content)])


@pytest.fixture(scope="module")
def outputs(data, django_db_blocker) -> dict[str, str]:
    """Every report kind in every format, over every case and under the award, made once:
    {"kind, award, format": its text}."""
    client = Client()
    texts = {}
    with django_db_blocker.unblock():
        client.force_login(data.world.director)
        index = client.get(reverse("reports:program_reports"))
        assert index.status_code == 200
        texts["the list of reports, page"] = page_text(index)
        for kind in KINDS:
            for award, fund in (("every case", None), ("under the award", data.objects.fund)):
                query = {"start": data.period.start.isoformat(), "end": data.period.end.isoformat(),
                         "fund": fund.pk if fund else ""}  # fmt: skip
                where = f"{kind}, {award}"
                page = client.get(reverse("reports:program_report", args=[kind]), query)
                assert page.status_code == 200, where
                texts[f"{where}, page"] = page_text(page)
                for fmt, read in (("csv", csv_text), ("xlsx", lambda r: xlsx_text(r.content))):
                    export = client.get(reverse("reports:program_export", args=[kind, fmt]), query)
                    assert export.status_code == 200, f"{where}, {fmt}"
                    texts[f"{where}, {fmt}"] = "\n".join([export["Content-Disposition"], read(export)])
                texts[f"{where}, pdf"] = _pdf(client, kind, {key: str(value) for key, value in query.items()})
    return texts


@pytest.fixture(scope="module")
def dashboard_outputs(data, django_db_blocker) -> dict[str, str]:
    """The director's dashboard for the period: the page and every section's CSV, made once."""
    client = Client()
    query = {"start": data.period.start.isoformat(), "end": data.period.end.isoformat()}
    texts = {}
    with django_db_blocker.unblock():
        client.force_login(data.world.director)
        page = client.get(reverse("reports:program_dashboard"), query)
        assert page.status_code == 200
        texts["the program dashboard, page"] = page_text(page)
        for slug in program.SECTIONS:
            export = client.get(reverse("reports:program_dashboard_csv", args=[slug]), query)
            assert export.status_code == 200, slug
            texts[f"the program dashboard, {slug}, csv"] = "\n".join([export["Content-Disposition"], csv_text(export)])
    return texts


def main_of(page: str) -> str:
    """The page's own content: what is inside ``<main>``, without the header every page has."""
    return page[page.index("<main") : page.index("</main>")]


# Arrange: the data is real and the outputs are the reports ----------------------------------------


def test_every_report_counts_people_in_the_period_with_and_without_the_award(data, db):
    # The first table of each report counts people or cases (served, clients, entries,
    # referrals): a report of zeros could leak nothing, and would prove nothing.
    first_tables = {
        (kind, award): sum(sum(row.counts) for row in definition.build(data.period, fund).tables[0].rows) > 0
        for kind, definition in funders.DEFINITIONS.items()
        for award, fund in (("every case", None), ("under the award", data.objects.fund))
    }

    assert first_tables == dict.fromkeys(first_tables, True)


def test_every_identifying_and_narrative_field_holds_a_planted_value(data, db):
    # No registered field is too short for a token (the shortest, a client code, holds 12
    # characters); one that is, or that keeps a value it cannot be given a planted one for, would
    # be listed here. Fields a check constraint keeps empty in some rows are left empty there
    # (``planted.refused``: a document's deletion reason, a step's partner when no partner does it).
    assert sorted(data.planted.skipped) == []
    assert min(data.planted.ids) >= FIRST_ID
    assert {label.split(" #")[0] for label in data.planted.ids.values()} >= {
        "cases.Survivor", "cases.Case", "cases.Contact", "cases.FamilyMember", "cases.ServiceEvent",
        "cases.Screening", "cases.Closure", "cases.Referral",
    }  # fmt: skip


def test_each_output_is_the_report_itself(outputs):
    titles = {str(definition.title) for definition in funders.DEFINITIONS.values()}

    missing = [where for where, text in outputs.items() if not any(title in " ".join(text.split()) for title in titles)]

    assert (len(outputs), missing) == (1 + len(KINDS) * 2 * len(FORMATS), [])


def test_the_dashboard_counts_the_periods_referrals_and_services(data, dashboard_outputs, db):
    # As for the reports: figures of zeros could leak nothing, and would prove nothing.
    referred = program.referrals(data.world.director, data.period).chart.values
    served = program.services(data.world.director, data.period).chart.values

    assert (sum(row[1] for row in referred) > 0, sum(row[1] for row in served) > 0) == (True, True)
    assert "Program dashboard" in dashboard_outputs["the program dashboard, page"]
    assert len(dashboard_outputs) == 1 + len(program.SECTIONS)


# The proof -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leaks(data, outputs, dashboard_outputs) -> list[str]:
    """Everything found in every output that must not be there."""
    search = Search(data.planted)
    reader = data.world.director.pk
    found = []
    for where, text in {**outputs, **dashboard_outputs}.items():
        if where.endswith("page"):
            content = main_of(text)
            found += search.leaks(f"{where} (content)", content)
            # The header of every page names the signed-in reader to themselves: outside the
            # page's own content that, and only that, is allowed.
            own = (f"(accounts.User.full_name #{reader}", f"(accounts.User.email #{reader}")
            header = search.leaks(where, text.replace(content, ""))
            found += [leak for leak in header if not any(mine in leak for mine in own)]
        else:
            found += search.leaks(where, text)
    return found


def staff(leak: str) -> bool:
    return "(accounts.User." in leak


def test_no_report_in_any_format_holds_a_survivors_data_or_a_records_id(leaks):
    assert [leak for leak in leaks if not staff(leak)] == []


def test_no_report_that_leaves_the_program_names_a_staff_member(leaks):
    # What goes to a funder (CSV, XLSX, PDF) names no one. The pages are the program's own,
    # shown only to those who produce reports, and may say who submitted a report.
    assert [leak for leak in leaks if staff(leak) and not leak.split(":")[0].endswith("page (content)")] == []


def test_the_search_finds_each_kind_of_leak(data, db):
    search = Search(data.planted)
    survivor = data.world.case_a.survivor
    origin = f"cases.Survivor.client_code #{survivor.pk} (before planting)"
    code = next(code for code, where in data.planted.before.items() if where == origin)
    survivor.refresh_from_db()
    case_id = data.world.case_a.pk

    leaking = (
        f"People served 3. {survivor.legal_name}, {code}, born July 13, 1913, case {case_id:,}.\n"
        f"12 contacts on case {case_id}."
    )

    assert search.leaks("a leaking page", leaking) == [
        f"a leaking page: {survivor.legal_name} (cases.Survivor.legal_name #{survivor.pk})",
        f"a leaking page: {code} ({origin})",
        "a leaking page: July 13, 1913 (the planted birthday)",
        f"a leaking page: {case_id:,} (cases.Case #{case_id})",
        f"a leaking page: {case_id} (cases.Case #{case_id})",
    ]
    assert search.leaks("a page of counts", "People served 3. 12 contacts on 7 cases, 1,024 times.") == []
