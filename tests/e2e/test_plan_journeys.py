"""The case plan and the safety plan in a real browser: a phase move signed off, a plan printed."""

import shutil
import subprocess
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import SafetyPlan
from cases.services import contacts as contact_services
from phases.models import PhaseReview, PhaseStay

GOAL_WORDS = "A home of my own where my daughter can visit"
STAFF_SUMMARY = "Stable housing; first month's rent from the fund"
SAFETY_NOTE_FOR_STAFF = "Trafficker's cousin seen near the shelter twice"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"  # poppler-utils, installed by .ci/run
STRATEGY = "I text the code word to Marisol and go to the library until she comes"


def test_a_survivor_moves_from_strengthen_to_heal_with_a_supervisors_sign_off(e2e_world, open_browser):
    case = e2e_world.case_a
    case.opened_on = case.decided_on = timezone.localdate() - timedelta(days=120)
    case.save(update_fields=["opened_on", "decided_on"])
    # Saved past the services, so the due day stored on the case is worked out again here, in
    # a transaction as the services do (it locks the case's row).
    with transaction.atomic():
        contact_services.store_last_contact(case)
    specialist = open_browser("specialist")
    page = specialist.page
    specialist.sign_in(e2e_world.specialist)

    specialist.goto(case.get_absolute_url(), "case")
    page.get_by_role("link", name="Case plan", exact=True).click()
    specialist.look("plan-tab-empty")
    page.get_by_role("link", name="Start the case plan").click()
    specialist.look("start-plan")
    page.get_by_label("The plan starts on").fill(case.opened_on.isoformat())
    page.get_by_role("button", name="Start the case plan").click()
    page.wait_for_url("**/plan/")
    specialist.look("plan-started")
    expect(page.get_by_role("status")).to_contain_text("The case plan has started, in Strengthen.")

    page.get_by_role("link", name="Write down a goal").click()
    specialist.look("new-goal")
    page.get_by_label("The goal in the survivor's own words").fill(GOAL_WORDS)
    page.get_by_label("Staff summary").fill(STAFF_SUMMARY)
    page.get_by_label("Area of life").select_option(label="Housing")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    specialist.look("goal-saved")
    specialist.goto(f"/cases/{case.pk}/plan/", "plan-with-goal")
    expect(page.get_by_role("region", name="Goals")).to_contain_text(GOAL_WORDS)

    page.get_by_role("link", name="Ask to move on to Heal").click()
    specialist.look("ask-to-move")
    # Sending without a note is refused and keeps what was ticked.
    checklist = page.get_by_role("group", name="Checklist for Strengthen").get_by_role("checkbox")
    checklist.first.check()
    page.get_by_role("button", name="Send for sign-off").click()
    specialist.look("ask-to-move-refused")
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(checklist.first).to_be_checked()
    for index in range(checklist.count()):
        checklist.nth(index).check()
    page.get_by_label("Your note").fill("Housing is settled and her first paycheck came in.")
    page.get_by_label("The survivor's own view").fill("I feel ready to start counseling now.")
    page.get_by_role("button", name="Send for sign-off").click()
    page.wait_for_url("**/plan/")
    specialist.look("move-waiting")
    expect(page.get_by_role("status")).to_contain_text("waiting for a supervisor's sign-off")
    # The one who asked cannot sign it off.
    expect(page.get_by_role("link", name="Sign off or return")).to_have_count(0)

    supervisor = open_browser("supervisor")
    boss = supervisor.page
    supervisor.sign_in(e2e_world.supervisor)
    supervisor.goto("/plans/reviews/", "review-queue")
    row = boss.get_by_role("row", name=case.survivor.client_code)
    expect(row).to_contain_text("Sam Specialist")
    row.get_by_role("link").first.click()
    boss.wait_for_load_state()
    supervisor.look("review-case-plan")
    boss.get_by_role("link", name="Sign off or return").click()
    supervisor.look("decide-move")
    expect(boss.get_by_role("main")).to_contain_text("I feel ready to start counseling now.")
    boss.get_by_label("Sign off: the survivor moves on").check()
    boss.get_by_role("button", name="Record my decision").click()
    boss.wait_for_url("**/plan/")
    supervisor.look("moved-to-heal")
    expect(boss.get_by_role("status")).to_contain_text("Signed off: the survivor moved to Heal")
    expect(boss.get_by_role("heading", name="Now in Heal")).to_be_visible()

    page.reload()
    specialist.look("specialist-sees-heal")
    expect(page.get_by_role("heading", name="Now in Heal")).to_be_visible()
    stays = list(PhaseStay.objects.filter(plan__case=case).order_by("entered_on", "pk").select_related("phase"))
    assert [(s.phase.name, s.how, s.left_on is None) for s in stays] == [
        ("Strengthen", "started", False),
        ("Heal", "forward", True),
    ]
    review = PhaseReview.objects.get(plan__case=case)
    assert (review.status, review.requested_by, review.decided_by) == (
        "signed off",
        e2e_world.specialist,
        e2e_world.supervisor,
    )


def test_a_specialist_makes_a_safety_plan_and_prints_it_for_the_survivor(e2e_world, open_browser, celery_worker):
    worker, log = celery_worker
    case = e2e_world.case_a
    specialist = open_browser("specialist")
    page = specialist.page
    specialist.sign_in(e2e_world.specialist)

    specialist.goto(case.get_absolute_url(), "case")
    page.get_by_role("region", name="Safety plan").get_by_role("link", name="Make a safety plan").click()
    specialist.look("new-safety-plan")
    risk = page.get_by_role("group", name="Risk 1", exact=True)
    risk.get_by_label("Generated by the trafficker").check()
    risk.get_by_role("combobox", name="Risk").select_option(label="Threats to family members")
    risk.get_by_label("Threats", exact=True).check()
    risk.get_by_label("In the survivor's words").fill("He says he knows where my mother lives")
    risk.get_by_label("Strategies agreed").fill(STRATEGY)
    person = page.get_by_role("group", name="Safe person 1", exact=True)
    person.get_by_label("Name").fill("Marisol")
    person.get_by_label("Who they are").fill("Cousin")
    person.get_by_label("Phone").fill("860-555-0101")
    page.get_by_role("group", name="Safe place 1", exact=True).get_by_label("Place").fill("Hartford Public Library")
    page.get_by_label("Code word").fill("blue umbrella")
    page.get_by_label("Where documents are kept safely").fill("Copies with her attorney")
    page.get_by_label("Review by").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    page.get_by_label("Note for staff").fill(SAFETY_NOTE_FOR_STAFF)
    page.get_by_role("button", name="Save new version").first.click()
    page.wait_for_url("**/safety/")
    specialist.look("safety-plan-saved")
    expect(page.get_by_role("status")).to_contain_text("Safety plan saved as version 1.")
    assert SafetyPlan.objects.filter(case=case).count() == 1

    page.get_by_role("button", name="Prepare the safety plan printout for the survivor").click()
    download_link = page.get_by_role("link", name="Download PDF")
    try:
        expect(download_link).to_be_visible(timeout=60_000)
    except AssertionError as not_ready:
        raise AssertionError(f"worker log:\n{log.read_text()[-3000:]}") from not_ready
    specialist.look("safety-printout-ready")
    with page.expect_download() as download_info:
        download_link.click()
    pdf = specialist.folder / "safety-plan.pdf"
    download_info.value.save_as(pdf)

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert STRATEGY in text
    assert "Marisol" in text
    assert "blue umbrella" in text
    assert "1-888-373-7888" in text
    assert SAFETY_NOTE_FOR_STAFF not in text
    assert case.survivor.legal_name not in text
    # The pages as pictures, to look at beside the screenshots.
    pictures = specialist.folder / "safety-plan-page"
    subprocess.run([PDFTOPPM, "-png", "-r", "60", str(pdf), str(pictures)], check=True)
    assert (specialist.folder / "safety-plan-page-1.png").exists()
    assert worker.poll() is None
