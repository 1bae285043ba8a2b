"""The program director keeps only what the program may keep, in a real browser: a shorter policy
for narratives, the preview of the next purge, a hold placed on one case from its page, the purge
run by the real worker, and the held case keeping its notes while the other loses them.
"""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bloom.audit.models import PurgeLogEntry
from cases.services.contacts import log_contact
from retention.models import Hold, Tombstone
from tests.factories import close_case, make_case

HELD_NOTE = "Talked about the court date and who will come along."
PURGED_NOTE = "Talked about the new apartment and the bus pass."


@pytest.fixture
def two_closed(e2e_world):
    """Two cases of team A closed 100 days before the pinned today, each with a contact note: under
    a policy of three months for narratives, both are due now; under the default, neither is."""
    world, today = e2e_world, timezone.localdate()
    cases = []
    for name, note in (("Hana Held", HELD_NOTE), ("Paz Purged", PURGED_NOTE)):
        case = make_case(team=world.team_a, specialists=[world.specialist], legal_name=name,
                         opened_on=today - timedelta(days=200))  # fmt: skip
        log_contact(
            case,
            by=world.specialist,
            kind="in person",
            occurred_at=timezone.make_aware(datetime.combine(today - timedelta(days=120), time(11))),
            initiated_by="staff",
            note=note,
        )
        close_case(case, by=world.specialist, approver=world.supervisor, closed_on=today - timedelta(days=100))
        cases.append(case)
    return world, *cases


def test_the_director_sets_a_policy_previews_holds_one_case_and_runs_the_purge(two_closed, open_browser, celery_worker):
    world, held, purged = two_closed
    worker, log = celery_worker
    director = open_browser("director")
    page = director.page
    director.sign_in(world.director)

    # 1. The policy: narratives and documents kept three months after a case closes.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Retention").click()
    director.look("policy")
    expect(page.get_by_text("Purged information survives in backups at most 30 days after the purge.")).to_be_visible()
    page.get_by_role("textbox", name="Narratives and notes kept for (months)").fill("3")
    page.get_by_role("textbox", name="Documents' files kept for (months)").fill("3")
    page.get_by_role("textbox", name="A closed case is kept whole for at least (months)").fill("1")
    page.get_by_role("button", name="Save the policy").click()
    director.look("policy-saved")
    expect(page.get_by_text("The retention policy is saved.")).to_be_visible()
    expect(page.get_by_role("table", name="Changes to the retention policy, newest first")).to_contain_text("24 → 3")

    # 2. The preview: both cases' narratives are due now.
    page.get_by_role("link", name="Next purge", exact=True).click()
    director.look("preview")
    due_now = page.get_by_role("table", name="Due now")
    for case in (held, purged):
        expect(due_now).to_contain_text(case.survivor.client_code)

    # 3. A hold on one case, placed from its page.
    due_now.get_by_role("link", name=held.survivor.client_code).first.click()
    director.look("held-case")
    page.get_by_role("textbox", name="Why the case is held").fill("Court order 22-114: keep the record.")
    page.get_by_role("button", name="Place the hold").click()
    director.look("hold-placed")
    expect(page.get_by_text("The hold is placed")).to_be_visible()
    assert Hold.objects.filter(case=held, lifted_at__isnull=True).count() == 1

    # 4. The preview marks it held; the purge is run by hand and done by the worker.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Retention").click()
    director.look("policy-again")
    page.get_by_role("link", name="Next purge", exact=True).click()
    director.look("preview-held")
    held_row = page.get_by_role("table", name="Due now").get_by_role("row").filter(has_text=held.survivor.client_code)
    expect(held_row.first).to_contain_text("Held: not purged")
    page.get_by_role("checkbox", name="I understand that what is due now will be purged").check()
    page.get_by_role("button", name="Run the purge now").click()
    director.look("purge-queued")
    expect(page.get_by_text("The purge is queued")).to_be_visible()
    for _ in range(60):
        if PurgeLogEntry.objects.filter(trigger=PurgeLogEntry.Trigger.BY_HAND).exists():
            break
        page.wait_for_timeout(500)
    else:
        raise AssertionError(f"the purge did not run; worker log:\n{log.read_text()[-3000:]}")
    page.reload()
    director.look("purge-log")
    log_table = page.get_by_role("table", name="Purges, newest first")
    expect(log_table).to_contain_text("Run by hand")
    expect(log_table).to_contain_text(purged.survivor.client_code)

    # 5. The held case keeps its notes; the other lost them, and its page says when.
    director.goto(held.get_absolute_url(), "held-case-after")
    expect(page.get_by_text(HELD_NOTE)).to_be_visible()
    director.goto(purged.get_absolute_url(), "purged-case-after")
    expect(page.get_by_text("Narratives and notes purged on")).to_be_visible()
    expect(page.get_by_text(PURGED_NOTE)).to_have_count(0)
    expect(page.get_by_role("heading", name="Paz Purged")).to_be_visible()  # the identity stays
    assert not Tombstone.objects.filter(case=held).exists()
    assert worker.poll() is None
