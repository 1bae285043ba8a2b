"""The survivor's safety plan printout, read back from the real PDF, and the program's phone on it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bloom.audit.models import AccessLogEntry
from bloom.reports.models import ReportJob
from cases import printouts
from cases.models import ProgramSettings
from cases.services.safety import save_safety_plan
from tests.factories import edit_survivor
from tests.printouts import (
    SAFETY_PLAN,
    STAFF_NOTE,
    flat,
    make_clerk,
    make_safety_plan,
    make_safety_plans,
    pdf_text,
    print_and_download,
    set_program_phone,
)


def test_safety_plan_printout_has_the_latest_version_and_no_staff_note(
    client, world, django_capture_on_commit_callbacks
):
    safety_plan = make_safety_plans(world)

    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )
    text = flat(pdf_text(pdf))

    assert "He said he would find my sister (0)" in text
    assert "Change my phone number and tell my sister to stay with our aunt (0)" in text
    assert "Rosa Friend 0" in text
    assert "860-555-0199" in text
    assert "St. Anne's church hall 0" in text
    assert "sunflower" in text
    assert "Passport in the office safe at the program" in text
    assert "1-888-373-7888" in text
    assert "911" in text
    assert "Keep this somewhere safe. You can ask us for a new copy at any time." in text
    assert safety_plan.review_on.strftime("%Y") in text
    leaked = [
        s for s in (STAFF_NOTE, "an older note", "old-word", "Debt bondage", "debt bondage", "Alma Alpha") if s in text
    ]
    assert leaked == []


def test_safety_plan_printout_says_no_name_on_purpose(client, world, django_capture_on_commit_callbacks):
    # A copy someone else finds must not say whose plan it is: neither the legal name nor the one they use.
    edit_survivor(world.case_a, by=world.specialist, preferred_name="Ally")
    make_safety_plans(world)

    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )
    text = flat(pdf_text(pdf))

    assert [name for name in ("Alma", "Alpha", "Ally", world.case_a.survivor.client_code) if name in text] == []
    assert "name" not in printouts.safety_plan_context(world.case_a)


def test_safety_plan_printout_shows_only_the_numbers_chosen(client, world, django_capture_on_commit_callbacks):
    make_safety_plan(world.case_a, by=world.specialist, emergency_numbers=["careline"], risks=0, people=0, places=0)

    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )

    text = flat(pdf_text(pdf))
    assert "1-800-842-2288" in text
    assert "1-888-373-7888" not in text


def test_a_risk_without_the_survivors_words_is_named_plainly(client, world, django_capture_on_commit_callbacks):
    housing = {"source": "life", "kind": "housing", "description": "", "strategies": "Stay at the shelter on Park St"}
    save_safety_plan(
        world.case_a, by=world.specialist, risks=[housing], people=[], places=[], review_on=timezone.localdate()
    )

    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )

    text = flat(pdf_text(pdf))
    assert "Housing needs" in text
    assert "Stay at the shelter on Park St" in text


# The program's phone -----------------------------------------------------------------------


def test_safety_plan_printout_gives_the_programs_phone_after_911(client, world, django_capture_on_commit_callbacks):
    make_safety_plans(world)
    set_program_phone("860-555-0142")

    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )
    text = flat(pdf_text(pdf))

    assert "Your program: 860-555-0142 To reach us about anything in this plan." in text
    assert text.index("If you feel unsafe") < text.index("911") < text.index("Your program") < text.index("1-888")


def test_safety_plan_printout_gives_the_programs_phone_first_when_911_was_not_chosen(world):
    make_safety_plan(world.case_a, by=world.specialist, emergency_numbers=["careline"])
    set_program_phone("860-555-0142")

    numbers = [n.name for n in printouts.safety_plan_context(world.case_a)["numbers"]]

    assert numbers == ["Your program", "DCF Careline (for anyone under 18)"]


def test_safety_plan_printout_without_a_program_phone_leaves_the_line_out(
    client, world, django_capture_on_commit_callbacks
):
    make_safety_plans(world)

    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )
    text = flat(pdf_text(pdf))

    assert "Your program" not in text
    assert "To reach us" not in text


def test_the_program_phone_is_set_in_the_admin_and_printed(client, world, django_capture_on_commit_callbacks):
    make_safety_plans(world)
    client.force_login(world.administrator)
    url = reverse("admin:cases_programsettings_change", args=[ProgramSettings.load().pk])

    form = client.get(url)
    saved = client.post(url, {"minimum_age": 16, "phone": "860-555-0177"})

    assert 'name="phone"' in form.content.decode()
    assert saved.status_code == 302
    assert ProgramSettings.load().history.latest().history_user == world.administrator
    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )
    assert "Your program: 860-555-0177" in flat(pdf_text(pdf))


def test_the_program_phone_shows_in_the_admins_list(client, world):
    set_program_phone("860-555-0142")
    client.force_login(world.administrator)

    page = client.get(reverse("admin:cases_programsettings_changelist"))

    assert "860-555-0142" in page.content.decode()


# Who may print ------------------------------------------------------------------------------


def test_without_the_sensitive_permission_the_safety_plan_printout_is_404(client, world):
    make_safety_plans(world)
    clerk = make_clerk(world)
    client.force_login(clerk)

    response = client.post(reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk]))

    assert response.status_code == 404
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_without_the_sensitive_permission_a_missing_safety_plan_is_404_too(client, world):
    clerk = make_clerk(world)
    client.force_login(clerk)

    response = client.post(reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk]))

    assert response.status_code == 404


def test_losing_the_sensitive_permission_stops_the_safety_plan_download(
    client, world, django_capture_on_commit_callbacks
):
    make_safety_plans(world)
    clerk = make_clerk(world)
    grant = Group.objects.create(name="sensitive for a while")
    grant.permissions.add(Permission.objects.get(content_type__app_label="cases", codename="view_sensitive_details"))
    clerk.groups.add(grant)
    job, _pdf = print_and_download(client, clerk, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks)

    clerk.groups.remove(grant)
    client.force_login(clerk)  # a fresh request: permissions are read again

    assert client.get(reverse("reports:download", args=[job.public_id])).status_code == 404
    assert client.get(reverse("reports:job", args=[job.public_id])).status_code == 200  # the job is still theirs


# The print button ----------------------------------------------------------------------------


def test_the_safety_page_carries_the_print_button_and_the_last_job(client, world, django_capture_on_commit_callbacks):
    make_safety_plans(world)
    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk]))
    job = ReportJob.objects.get(kind=SAFETY_PLAN)

    html = client.get(reverse("cases:safety_plan", args=[world.case_a.pk])).content.decode()

    assert f'action="{reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk])}"' in html
    assert f'id="job-{job.public_id}"' in html


# Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 5])
def test_safety_plan_context_reads_a_fixed_number_of_queries(world, size):
    make_safety_plan(world.case_a, by=world.specialist, risks=size, people=size, places=size)
    set_program_phone("860-555-0142")

    with CaptureQueriesContext(connection) as queries:
        printouts.safety_plan_context(world.case_a)

    # The latest version, its risks, people and places, the specialists, the program's phone.
    assert len(queries) == 6
