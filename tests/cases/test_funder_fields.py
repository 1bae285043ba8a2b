"""What funders ask that the intake forms now hold: the special classifications, a minor's
responsible adult and consent for services, and how a family member is related."""

import re

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, FamilyMember, Survivor

CLASSIFICATIONS = Survivor.CLASSIFICATION_FIELDS


def intake(world, *, referral=None, **details) -> Case:
    details.setdefault("legal_name", "Paz Primera")
    return services.start_intake(
        by=world.specialist, team=world.team_a, specialists=[world.specialist], details=details, referral=referral
    )


def refusal(call) -> dict:
    with pytest.raises(services.IntakeError) as refused:
        call()
    return refused.value.message_dict


# Services ---------------------------------------------------------------------------------------


def test_start_intake_keeps_the_classifications_and_the_responsible_adult(world):
    case = intake(
        world,
        limited_english="yes",
        veteran="no",
        lgbtq="declined",
        referral={
            "guardian_role": "child welfare",
            "guardian_name": "Dana Worker",
            "guardian_phone": "860-555-0110",
            "guardian_may_be_contacted": "yes",
            "service_consent": "child welfare",
        },
    )

    survivor = Survivor.objects.get(pk=case.survivor_id)
    stored = Case.objects.get(pk=case.pk)
    assert {name: getattr(survivor, name) for name in CLASSIFICATIONS} == {
        "limited_english": "yes",
        "immigrant": "",
        "disability": "",
        "homeless": "",
        "lgbtq": "declined",
        "veteran": "no",
        "deaf_or_hard_of_hearing": "",
    }
    assert (stored.guardian_role, stored.guardian_name, stored.guardian_may_be_contacted, stored.service_consent) == (
        "child welfare",
        "Dana Worker",
        "yes",
        "child welfare",
    )
    assert stored.history.get().guardian_name == "Dana Worker"


@pytest.mark.parametrize(
    ("details", "referral", "field"),
    [
        ({"veteran": "maybe"}, {}, "veteran"),
        ({"homeless": "Yes"}, {}, "homeless"),
        ({}, {"guardian_role": "aunt"}, "guardian_role"),
        ({}, {"guardian_may_be_contacted": "sometimes"}, "guardian_may_be_contacted"),
        ({}, {"service_consent": "implied"}, "service_consent"),
    ],
)
def test_an_answer_outside_its_list_is_refused_and_nothing_is_stored(world, details, referral, field):
    before = (Survivor.objects.count(), Case.objects.count())

    refused = refusal(lambda: intake(world, referral=referral, **details))

    assert refused == {field: ["Choose an answer from the list."]}
    assert (Survivor.objects.count(), Case.objects.count()) == before


def test_update_case_changes_the_answers_with_history(world):
    case = world.case_a

    services.update_case(
        case,
        by=world.supervisor,
        details={"disability": "yes", "deaf_or_hard_of_hearing": "no"},
        referral={"guardian_role": "parent", "service_consent": "guardian"},
    )

    survivor = Survivor.objects.get(pk=case.survivor_id)
    stored = Case.objects.get(pk=case.pk)
    assert (survivor.disability, survivor.deaf_or_hard_of_hearing) == ("yes", "no")
    assert (stored.guardian_role, stored.service_consent) == ("parent", "guardian")
    assert survivor.history.latest().history_change_reason == 'row.changed|[["disability","deaf_or_hard_of_hearing"]]'
    assert stored.history.latest().history_change_reason == 'row.changed|[["guardian_role","service_consent"]]'
    assert stored.history.latest().history_user == world.supervisor


def test_update_case_refuses_an_answer_outside_its_list_and_changes_nothing(world):
    case = world.case_a

    refused = refusal(
        lambda: services.update_case(case, by=world.specialist, details={"immigrant": "perhaps"}, referral={})
    )

    assert refused == {"immigrant": ["Choose an answer from the list."]}
    assert Survivor.objects.get(pk=case.survivor_id).immigrant == ""


def test_a_family_member_is_related_by_a_choice_words_or_both(world):
    chosen = services.add_family_member(world.case_a, by=world.specialist, name="Luz", relation="sibling")
    worded = services.add_family_member(world.case_a, by=world.specialist, name="Tía", relationship="My aunt")
    both = services.add_family_member(
        world.case_a, by=world.specialist, name="Ana", relation="other", relationship="The aunt who raised me"
    )

    assert [(m.relation, m.relationship) for m in (chosen, worded, both)] == [
        ("sibling", ""),
        ("", "My aunt"),
        ("other", "The aunt who raised me"),
    ]
    assert FamilyMember.history.filter(id=chosen.pk).get().history_change_reason == "family.added"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"relation": "cousin"}, "Choose how they are related from the list."),
        ({"relationship": "   "}, "Choose how they are related, or write it in the survivor's words."),
        ({}, "Choose how they are related, or write it in the survivor's words."),
    ],
)
def test_a_family_member_without_a_known_relation_is_refused(world, fields, message):
    refused = refusal(lambda: services.add_family_member(world.case_a, by=world.specialist, name="Luz", **fields))

    assert refused == {"relation": [message]}
    assert FamilyMember.objects.count() == 0


# Pages ------------------------------------------------------------------------------------------


def test_the_edit_page_asks_the_funders_questions_each_not_asked_by_default(client, world):
    client.force_login(world.specialist)

    html = client.get(reverse("cases:edit", args=[world.case_a.pk])).content.decode()

    assert "<legend>Questions funders ask (optional)</legend>" in html
    assert "<legend>If the survivor is under 18</legend>" in html
    for name in CLASSIFICATIONS:
        assert re.search(rf'<input type="radio" name="{name}" value=""[^>]*checked', html), name
        for value in ("yes", "no", "declined"):
            assert f'name="{name}" value="{value}"' in html
    assert html.count(" Not asked</label>") == len(CLASSIFICATIONS) + 1  # and whether the adult may be contacted
    assert re.search(r'<input type="radio" name="guardian_may_be_contacted" value=""[^>]*checked', html)


def test_answers_saved_by_the_edit_page_are_shown_on_the_case(client, world):
    case = world.case_a
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {
            "legal_name": "Alma Alpha",
            "initial-legal_name": "Alma Alpha",
            "opened_on": case.opened_on.isoformat(),
            "initial-opened_on": case.opened_on.isoformat(),
            "homeless": "yes",
            "initial-homeless": "",
            "guardian_role": "parent",
            "initial-guardian_role": "",
            "guardian_name": "Marta Alpha",
            "initial-guardian_name": "",
            "guardian_may_be_contacted": "no",
            "initial-guardian_may_be_contacted": "",
        },
    )

    html = client.get(case.get_absolute_url()).content.decode()
    assert response.status_code == 302
    assert Survivor.objects.get(pk=case.survivor_id).homeless == "yes"
    assert "Questions funders ask" in html
    assert "Homeless: Yes" in html
    assert "Parent or legal guardian · Marta Alpha" in html
    assert "May be contacted: No" in html


def test_a_new_intake_takes_the_answers_and_the_responsible_adult(client, world):
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:create"),
        {
            "legal_name": "Tia Morales",
            "team": world.team_a.pk,
            "specialists": [world.specialist.pk],
            "opened_on": world.case_a.opened_on.isoformat(),
            "limited_english": "declined",
            "guardian_role": "child welfare",
            "service_consent": "not given",
        },
    )

    case = Case.objects.get(survivor__legal_name="Tia Morales")
    assert response.status_code == 302
    assert (case.survivor.limited_english, case.guardian_role, case.service_consent) == (
        "declined",
        "child welfare",
        "not given",
    )


def test_a_bad_answer_by_page_is_shown_on_its_field_and_keeps_what_was_typed(client, world):
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:create"),
        {"legal_name": "Tia Morales", "team": world.team_a.pk, "opened_on": world.case_a.opened_on.isoformat(),
         "veteran": "perhaps", "guardian_name": "Rosa Morales"},
    )  # fmt: skip

    html = response.content.decode()
    assert response.status_code == 200
    assert "veteran" in response.context["details_form"].errors
    assert 'value="Rosa Morales"' in html
    assert not Case.objects.filter(survivor__legal_name="Tia Morales").exists()


def test_the_family_form_takes_the_relation_or_the_words_and_refuses_neither(client, world):
    case = world.case_a
    client.force_login(world.specialist)
    url = reverse("cases:family_member_new", args=[case.pk])

    refused = client.post(url, {"name": "Luz"})
    in_words = client.post(url, {"name": "Luz", "relationship": "my little sister"})
    chosen = client.post(url, {"name": "Rio", "relation": "sibling", "relationship": "my little brother"})

    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "relation": ["Choose how they are related, or write it in the survivor's words."]
    }
    assert 'value="Luz"' in refused.content.decode()
    assert (in_words.status_code, chosen.status_code) == (302, 302)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Sibling: “my little brother”" in page
    assert list(case.family_members.order_by("name").values_list("name", "relation")) == [
        ("Luz", ""),
        ("Rio", "sibling"),
    ]
