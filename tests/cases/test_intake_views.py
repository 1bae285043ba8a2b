"""The intake pages: starting an intake, screening, eligibility, the outcome, minors, family, sensitive details."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bloom.accounts.services import set_team_members
from bloom.directory.models import Organization
from cases import services
from cases.models import Case, FamilyMember, MandatedReport, Screening, Survivor
from tests.factories import edit_survivor, make_town, make_user

SURVIVOR_NAME = "Ines Intake"
CARELINE_BANNER = "A DCF Careline report is needed"


def born(years_ago: int) -> date:
    today = timezone.localdate()
    return date(today.year - years_ago, today.month, min(today.day, 28))


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def intake(world, **details) -> Case:
    details.setdefault("legal_name", SURVIVOR_NAME)
    return services.start_intake(
        by=world.specialist, team=world.team_a, specialists=[world.specialist], details=details
    )


def page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def errors_of(response) -> dict[str, list[str]]:
    """Every form's errors on the page, by field name."""
    forms = response.context.get("forms") or [response.context["form"]]
    return {name: list(errors) for form in forms for name, errors in form.errors.items()}


# Starting an intake -------------------------------------------------------------------------


def intake_post(world, **overrides) -> dict:
    return {
        "legal_name": "Paz Primera",
        "preferred_name": "Pazita",
        "team": world.team_a.pk,
        "specialists": [world.specialist.pk],
        "opened_on": days_ago(1),
        "referral_source": "hotline",
        "referring_person": "Rhea Referrer",
        "race": ["black", "hispanic"],
        "safe_to_call": "true",
        **overrides,
    }


def test_start_an_intake_leaves_a_draft_and_shows_it(client, world):
    client.force_login(world.specialist)

    response = client.post(reverse("cases:create"), intake_post(world))

    case = Case.objects.get(survivor__legal_name="Paz Primera")
    survivor = case.survivor
    assert (response.status_code, response["Location"]) == (302, case.get_absolute_url())
    assert (case.status, case.opened_on.isoformat(), case.referral_source, case.referring_person) == (
        "intake",
        days_ago(1),
        "hotline",
        "Rhea Referrer",
    )
    assert (survivor.race, survivor.safe_to_call, survivor.preferred_name) == (["black", "hispanic"], True, "Pazita")
    assert list(case.specialists.all()) == [world.specialist]
    assert Case.history.get(id=case.pk).history_change_reason == "case.intake_started"
    assert "Intake in progress" in page(client, case)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"date_of_birth": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "date_of_birth",
            "The date of birth cannot be in the future.",
        ),
        (
            {"referred_on": days_ago(1), "opened_on": days_ago(5)},
            "opened_on",
            f"The intake cannot come before the referral ({date_format(timezone.localdate() - timedelta(days=1))}).",
        ),
        ({"estimated_age": "121"}, "estimated_age", "Give an age of 120 or less."),
        ({"estimated_age": "-1"}, "estimated_age", "Ensure this value is greater than or equal to 0."),
        (
            {"race": ["prefers not to say", "white"]},
            "race",
            "“Prefers not to say” cannot be chosen with another answer.",
        ),
    ],
)
def test_bad_intake_input_is_shown_on_its_field_and_keeps_what_was_typed(client, world, overrides, field, message):
    client.force_login(world.specialist)
    cases_before = Case.objects.count()
    data = intake_post(world, **overrides)

    response = client.post(reverse("cases:create"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert errors_of(response) == {field: [message]}
    assert message in html
    assert 'value="Paz Primera"' in html
    assert 'value="Pazita"' in html
    assert 'value="Rhea Referrer"' in html
    assert f'value="{data["opened_on"]}"' in html
    assert re.search(r'<option value="hotline"[^>]*selected', html)
    assert re.search(r'<option value="true"[^>]*selected', html)
    for value in data["race"]:
        assert re.search(rf'<input type="checkbox" name="race" value="{value}"[^>]*checked', html), value
    for name, value in overrides.items():
        if isinstance(value, str):
            assert f'name="{name}" value="{value}"' in html, name
    assert (Case.objects.count(), Survivor.objects.filter(legal_name="Paz Primera").count()) == (cases_before, 0)


# Screening, eligibility and the outcome ------------------------------------------------------


def screen_by_page(client, case, **overrides):
    data = {
        "actions": ["recruits"],
        "means_force": ["physical assault"],
        "purposes": ["commercial sex"],
        "screened_on": timezone.localdate().isoformat(),
        **overrides,
    }
    return client.post(reverse("cases:screening_new", args=[case.pk]), data)


def test_the_outcome_page_enrolls_an_eligible_adult(client, world):
    case = intake(world, estimated_age=30, town=make_town("Hartford"))
    client.force_login(world.specialist)

    screened = screen_by_page(client, case)
    response = client.post(
        reverse("cases:outcome", args=[case.pk]),
        {"outcome": "enrolled", "decided_on": timezone.localdate().isoformat()},
    )

    case.refresh_from_db()
    assert screened.status_code == 302
    assert list(case.screenings.values_list("version", "determination")) == [(1, "sex")]
    assert response.status_code == 302
    assert (case.status, case.decided_on) == ("open", timezone.localdate())
    assert "Intake in progress" not in page(client, case)


def test_the_outcome_page_refuses_to_enroll_someone_not_eligible(client, world):
    case = intake(world, estimated_age=30)
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:outcome", args=[case.pk]),
        {"outcome": "enrolled", "decided_on": timezone.localdate().isoformat()},
    )

    case.refresh_from_db()
    assert response.status_code == 200
    assert list(errors_of(response)) == ["__all__"]
    assert "The survivor cannot be enrolled yet" in response.content.decode()
    assert case.status == "intake"


def test_the_outcome_page_records_not_enrolled_with_the_reason(client, world):
    case = intake(world, estimated_age=30)
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:outcome", args=[case.pk]),
        {
            "outcome": "not enrolled",
            "decided_on": timezone.localdate().isoformat(),
            "reason": "declined",
            "note": "Wants to think about it.",
        },
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert (case.status, case.not_enrolled_reason, case.outcome_note) == (
        "not enrolled",
        "declined",
        "Wants to think about it.",
    )
    assert "Declined services: Wants to think about it." in page(client, case)


def test_not_enrolled_needs_a_reason(client, world):
    case = intake(world, estimated_age=30)
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:outcome", args=[case.pk]),
        {"outcome": "not enrolled", "decided_on": timezone.localdate().isoformat(), "note": "Kept"},
    )

    case.refresh_from_db()
    assert response.status_code == 200
    assert errors_of(response) == {"reason": ["Choose why the survivor was not enrolled."]}
    assert "Kept" in response.content.decode()
    assert case.status == "intake"


def test_the_outcome_page_of_an_enrolled_case_sends_back_to_the_case(client, world):
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:outcome", args=[world.case_a.pk]),
        {"outcome": "not enrolled", "decided_on": timezone.localdate().isoformat(), "reason": "declined"},
    )

    world.case_a.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, world.case_a.get_absolute_url())
    assert (world.case_a.status, world.case_a.not_enrolled_reason) == ("open", "")


def test_eligibility_override_is_403_for_the_specialist(client, world):
    case = intake(world, estimated_age=15)
    url = reverse("cases:eligibility_override", args=[case.pk])
    client.force_login(world.specialist)

    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "I decide."}).status_code == 403
    case.refresh_from_db()
    assert case.eligibility_overridden is False


def test_the_supervisor_overrides_eligibility_with_a_reason(client, world):
    case = intake(world, estimated_age=15)
    url = reverse("cases:eligibility_override", args=[case.pk])
    client.force_login(world.supervisor)

    shown = client.get(url)
    response = client.post(url, {"reason": "Sibling of an enrolled survivor."})

    case.refresh_from_db()
    assert shown.status_code == 200
    assert response.status_code == 302
    assert (case.eligibility_overridden, case.eligibility_override_reason, case.eligibility_overridden_by) == (
        True,
        "Sibling of an enrolled survivor.",
        world.supervisor,
    )
    assert "Sue Supervisor decided the survivor is eligible: Sibling of an enrolled survivor." in page(client, case)


def test_the_eligibility_override_needs_a_reason(client, world):
    case = intake(world, estimated_age=15)
    client.force_login(world.supervisor)

    response = client.post(reverse("cases:eligibility_override", args=[case.pk]), {"reason": ""})

    case.refresh_from_db()
    assert response.status_code == 200
    assert list(errors_of(response)) == ["reason"]
    assert case.eligibility_overridden is False


def test_the_screening_list_shows_every_version(client, world):
    case = intake(world, estimated_age=30)
    client.force_login(world.specialist)
    screen_by_page(client, case)
    screen_by_page(
        client, case, means_force=[], purposes=["labor"], actions=["harbors"], means_coercion=["debt bondage"]
    )

    response = client.get(reverse("cases:screenings", args=[case.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert [(s.version, s.determination) for s, _result in response.context["screenings"]] == [
        (2, "labor"),
        (1, "sex"),
    ]
    assert ("Version 1" in html, "Version 2" in html) == (True, True)


def test_the_screening_page_refuses_an_empty_screening(client, world):
    case = intake(world, estimated_age=30)
    client.force_login(world.specialist)

    response = screen_by_page(client, case, actions=[], means_force=[], purposes=[])

    assert response.status_code == 200
    assert list(errors_of(response)) == ["__all__"]
    assert Screening.objects.filter(case=case).count() == 0


# Minors: the Careline report ------------------------------------------------------------------


def careline_post(**overrides) -> dict:
    # An hour ago on the clock on the wall: worked out in UTC, as local time can skip an hour.
    made_at = timezone.localtime(timezone.now() - timedelta(hours=1))
    return {
        "kind": "careline",
        "made_at": made_at.strftime("%Y-%m-%dT%H:%M"),
        "made_by": "Sam Specialist",
        "reference": "CL-2026-0042",
        "notes": "",
        **overrides,
    }


@pytest.mark.clock
def test_the_careline_banner_shows_until_the_report_is_recorded(client, world):
    case = intake(world, date_of_birth=born(16))
    client.force_login(world.specialist)
    before = page(client, case)

    response = client.post(reverse("cases:mandated_report_new", args=[case.pk]), careline_post())

    after = page(client, case)
    assert CARELINE_BANNER in before
    assert response.status_code == 302
    assert list(case.mandated_reports.values_list("kind", "reference", "made_by", "recorded_by")) == [
        ("careline", "CL-2026-0042", "Sam Specialist", world.specialist.pk)
    ]
    assert CARELINE_BANNER not in after
    assert "CL-2026-0042" in after


def test_no_careline_banner_for_an_adult(client, world):
    case = intake(world, date_of_birth=born(18))
    client.force_login(world.specialist)

    assert CARELINE_BANNER not in page(client, case)


@pytest.mark.clock
def test_a_careline_report_needs_its_reference(client, world):
    case = intake(world, date_of_birth=born(16))
    client.force_login(world.specialist)

    response = client.post(reverse("cases:mandated_report_new", args=[case.pk]), careline_post(reference=""))

    assert response.status_code == 200
    assert errors_of(response) == {"reference": ["Give the reference number the Careline gave."]}
    assert MandatedReport.objects.filter(case=case).count() == 0
    assert CARELINE_BANNER in page(client, case)


@pytest.mark.clock
def test_an_mdt_referral_does_not_need_a_reference_nor_end_the_banner(client, world):
    case = intake(world, date_of_birth=born(17))
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:mandated_report_new", args=[case.pk]), careline_post(kind="mdt", reference="")
    )

    assert response.status_code == 302
    assert list(case.mandated_reports.values_list("kind", flat=True)) == ["mdt"]
    assert CARELINE_BANNER in page(client, case)


# Family members served --------------------------------------------------------------------------


def test_add_and_remove_a_family_member(client, world):
    case = intake(world)
    client.force_login(world.specialist)

    added = client.post(
        reverse("cases:family_member_new", args=[case.pk]),
        {"name": "Luz Hermana", "relation": "sibling", "relationship": "", "date_of_birth": "", "notes": ""},
    )
    member = case.family_members.get()
    shown = page(client, case)
    removed = client.post(reverse("cases:family_member_remove", args=[case.pk, member.pk]))

    history = list(FamilyMember.history.filter(id=member.pk).order_by("history_id").values_list("history_type", "name"))
    assert (added.status_code, removed.status_code) == (302, 302)
    assert "Luz Hermana" in shown
    assert "Sibling" in shown
    assert "Luz Hermana" not in page(client, case)
    assert list(case.family_members.all()) == []
    assert history == [("+", "Luz Hermana"), ("-", "Luz Hermana")]


def test_a_family_member_of_another_case_cannot_be_removed_through_this_one(client, world):
    member = services.add_family_member(world.case_b, by=world.outsider, name="Other Family", relationship="Son")
    client.force_login(world.specialist)

    response = client.post(reverse("cases:family_member_remove", args=[world.case_a.pk, member.pk]))

    assert response.status_code == 404
    assert list(world.case_b.family_members.all()) == [member]


# Denials ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("cases:screenings", "get"),
        ("cases:screening_new", "get"),
        ("cases:screening_new", "post"),
        ("cases:eligibility_override", "get"),
        ("cases:eligibility_override", "post"),
        ("cases:outcome", "get"),
        ("cases:outcome", "post"),
        ("cases:mandated_report_new", "get"),
        ("cases:mandated_report_new", "post"),
        ("cases:family_member_new", "get"),
        ("cases:family_member_new", "post"),
        ("cases:family_member_remove", "post"),
    ],
)
def test_the_outsider_gets_404_on_every_intake_page_of_case_a(client, world, url_name, method):
    member = services.add_family_member(world.case_a, by=world.specialist, name="Luz Hermana", relationship="Sister")
    args = [world.case_a.pk, member.pk] if url_name == "cases:family_member_remove" else [world.case_a.pk]
    client.force_login(world.outsider)

    response = getattr(client, method)(reverse(url_name, args=args))

    assert response.status_code == 404
    assert list(world.case_a.family_members.all()) == [member]


def test_the_outsider_cannot_use_case_a_in_the_duplicate_check(client, world):
    client.force_login(world.outsider)

    response = client.post(reverse("cases:duplicates"), {"legal_name": "Alma Alpha", "case": world.case_a.pk})

    assert response.status_code == 404


# Sensitive details ---------------------------------------------------------------------------------


@pytest.fixture
def clerk(world):
    """Someone assigned to case_a whose role lacks ``cases.view_sensitive_details``."""
    group = Group.objects.create(name="intake clerk")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="cases", codename__in=["add_case", "add_survivor", "view_case_history"]
        )
    )
    user = make_user(full_name="Cleo Clerk")
    user.groups.add(group)
    set_team_members(world.team_a, members=[world.specialist, world.colleague, user], by=None)
    services.assign_case(world.case_a, by=world.supervisor, specialists=[world.specialist, user])
    return user


@pytest.fixture
def t_visa(world):
    services.update_case(world.case_a, by=world.specialist, details={"immigration_status": "t visa"}, referral={})
    return "T visa holder"


def test_the_specialist_sees_the_immigration_status(client, world, t_visa):
    client.force_login(world.specialist)

    html = page(client, world.case_a)
    edit = client.get(reverse("cases:edit", args=[world.case_a.pk])).content.decode()

    assert "Immigration status" in html
    assert t_visa in html
    assert re.search(r'<option value="t visa"[^>]*selected', edit)


def test_without_the_sensitive_permission_the_immigration_status_is_not_shown(client, world, clerk, t_visa):
    client.force_login(clerk)

    html = page(client, world.case_a)
    edit = client.get(reverse("cases:edit", args=[world.case_a.pk]))

    assert "Alma Alpha" in html
    assert ("Immigration status" in html, t_visa in html) == (False, False)
    assert edit.status_code == 200
    assert "immigration_status" not in edit.context["details_form"].fields
    assert 'name="immigration_status"' not in edit.content.decode()


def test_without_the_sensitive_permission_an_edit_leaves_the_immigration_status(client, world, clerk, t_visa):
    client.force_login(clerk)

    response = client.post(
        reverse("cases:edit", args=[world.case_a.pk]),
        {
            "legal_name": "Alma Alpha",
            "preferred_name": "Almita",
            "immigration_status": "no status",
            "opened_on": world.case_a.opened_on.isoformat(),
        },
    )

    survivor = Survivor.objects.get(pk=world.case_a.survivor_id)
    assert response.status_code == 302
    assert (survivor.preferred_name, survivor.immigration_status) == ("Almita", "t visa")


def test_without_the_sensitive_permission_the_history_does_not_show_the_immigration_status(
    client, world, clerk, t_visa
):
    client.force_login(clerk)

    response = client.get(reverse("cases:history", args=[world.case_a.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sam Specialist" in html
    assert (t_visa in html, "Immigration status" in html) == (False, False)


def test_without_the_sensitive_permission_a_new_intake_has_no_immigration_status(client, world, clerk):
    client.force_login(clerk)

    shown = client.get(reverse("cases:create"))
    response = client.post(
        reverse("cases:create"),
        intake_post(world, immigration_status="no status"),
    )

    survivor = Survivor.objects.get(legal_name="Paz Primera")
    assert 'name="immigration_status"' not in shown.content.decode()
    assert response.status_code == 302
    assert survivor.immigration_status == ""


def test_without_the_sensitive_permission_the_narrative_is_neither_shown_nor_lost(client, world, clerk):
    services.record_screening(
        world.case_a,
        by=world.specialist,
        answers={"actions": ["recruits"], "means": ["physical assault"], "purposes": ["commercial sex"]},
        context={"narrative": "Met him at a bus stop.", "trafficker_in_contact": True},
        sensitive_allowed=True,
    )
    client.force_login(clerk)

    listed = client.get(reverse("cases:screenings", args=[world.case_a.pk])).content.decode()
    form = client.get(reverse("cases:screening_new", args=[world.case_a.pk])).content.decode()
    response = screen_by_page(client, world.case_a, narrative="Overwritten", trafficker_in_contact="false")

    latest = world.case_a.screenings.get(version=2)
    assert "Met him at a bus stop." not in listed
    assert ('name="narrative"' in form, "Met him at a bus stop." in form) == (False, False)
    assert response.status_code == 302
    assert (latest.narrative, latest.trafficker_in_contact) == ("Met him at a bus stop.", True)


def test_an_edit_page_opened_before_a_colleagues_save_does_not_undo_it(client, world):
    case = world.case_a
    client.force_login(world.specialist)
    page = client.get(reverse("cases:edit", args=[case.pk]))
    # The page carries the values it shows; a colleague then saves a phone number.
    assert 'name="initial-phone"' in page.content.decode()
    edit_survivor(case, by=world.supervisor, phone="(860) 555-0142")

    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {
            "legal_name": "Alma Alpha",
            "initial-legal_name": "Alma Alpha",
            "preferred_name": "Ally",
            "initial-preferred_name": "",
            "phone": "",
            "initial-phone": "",
            "opened_on": case.opened_on.isoformat(),
            "initial-opened_on": case.opened_on.isoformat(),
        },
    )

    assert response.status_code == 302
    case.survivor.refresh_from_db()
    assert (case.survivor.preferred_name, case.survivor.phone) == ("Ally", "(860) 555-0142")


def test_editing_keeps_a_referring_organization_that_left_the_directory(client, world):
    gone = Organization.objects.create(name="Closed Shelter", is_active=False)
    case = world.case_a
    case.referring_organization = gone
    case.save(update_fields=["referring_organization"])
    client.force_login(world.specialist)

    page = client.get(reverse("cases:edit", args=[case.pk]))

    assert f'<option value="{gone.pk}" selected>Closed Shelter</option>' in page.content.decode()


def test_without_the_sensitive_permission_being_an_immigrant_is_neither_shown_nor_changed(client, world, clerk):
    services.update_case(world.case_a, by=world.specialist, details={"immigrant": "yes"}, referral={})
    client.force_login(clerk)

    html = page(client, world.case_a)
    edit = client.get(reverse("cases:edit", args=[world.case_a.pk]))
    client.post(
        reverse("cases:edit", args=[world.case_a.pk]),
        {"legal_name": "Alma Alpha", "immigrant": "no", "opened_on": world.case_a.opened_on.isoformat()},
    )

    assert ("Immigrant, refugee or asylum seeker" in html, 'name="immigrant"' in edit.content.decode()) == (
        False,
        False,
    )
    assert Survivor.objects.get(pk=world.case_a.survivor_id).immigrant == "yes"


def test_the_specialist_sees_the_funders_questions_answered(client, world):
    services.update_case(world.case_a, by=world.specialist, details={"immigrant": "yes", "veteran": "no"}, referral={})
    client.force_login(world.specialist)

    html = page(client, world.case_a)

    assert "Immigrant, refugee or asylum seeker: Yes" in html
    assert "Veteran: No" in html
