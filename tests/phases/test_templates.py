"""The program's phase templates: who may configure them, copying and changing one, choosing the one in use."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from phases.models import Goal, Phase, PhaseTemplate
from phases.services import journey
from phases.services import templates as services
from phases.services.templates import PhaseSpec
from tests.factories import make_case

TODAY = timezone.localdate()
DEFAULT = "Strengthen, Heal, Revitalize"
OTHER = "Crisis, stabilization, sustainability"


def template(name=DEFAULT) -> PhaseTemplate:
    return PhaseTemplate.objects.get(name=name)


def names(template) -> list[str]:
    return list(template.phases.order_by("position").values_list("name", flat=True))


def specs_of(template) -> list[PhaseSpec]:
    return [
        PhaseSpec(
            id=p.pk,
            name=p.name,
            purpose=p.purpose,
            expected_months=p.expected_months,
            suggested_domains=list(p.suggested_domains),
            checklist=list(p.checklist),
        )
        for p in template.phases.order_by("position")
    ]


def start_plan(world, case=None):
    case = case or world.case_a
    return journey.start_plan(
        case, by=world.specialist, template=PhaseTemplate.objects.get(in_use=True), started_on=TODAY, expected_months=12
    )


def post_phases(template, rows, **extra) -> dict:
    """The edit form's POST: the template's name and description, and one formset row per phase."""
    spanish = template.in_language("es")
    data = {
        "name": extra.pop("name", template.name),
        "description": extra.pop("description", template.description),
        # The other languages, as the page shows them (bloom.translated).
        "name_es": spanish.get("name", ""),
        "description_es": spanish.get("description", ""),
        "phases-TOTAL_FORMS": str(len(rows)),
        "phases-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "12",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"phases-{index}-{key}"] = value
    return {**data, **extra}


def rows_of(template) -> list[dict]:
    return [
        {
            "id": str(p.pk),
            "position": str(p.position),
            "name": p.name,
            "purpose": p.purpose,
            "suggested_domains": list(p.suggested_domains),
            "expected_months": str(p.expected_months),
            "checklist": "\n".join(p.checklist),
            # The other languages, as the page shows them (bloom.translated).
            "name_es": p.in_language("es").get("name", ""),
            "purpose_es": p.in_language("es").get("purpose", ""),
            "checklist_es": "\n".join(p.in_language("es").get("checklist", [])),
        }
        for p in template.phases.order_by("position")
    ]


# Who may configure them -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/plans/templates/", "/plans/templates/new/", "/plans/templates/{pk}/"])
def test_only_the_program_director_sees_the_templates(client, world, path):
    url = path.format(pk=template(OTHER).pk)
    for name, person in world.everyone().items():
        client.force_login(person)
        assert client.get(url).status_code == (200 if name == "director" else 403), name
    client.logout()
    assert client.get(url).url.startswith("/accounts/login/")


def test_the_services_refuse_anyone_but_the_director(world):
    for person in (world.supervisor, world.specialist, world.administrator):
        with pytest.raises(PermissionDenied):
            services.copy_template(template(), by=person, name="Mine", description="")
        with pytest.raises(PermissionDenied):
            services.use_template(template(OTHER), by=person)
        with pytest.raises(PermissionDenied):
            services.update_template(template(OTHER), by=person, name=OTHER, description="", phases=[])


# The pages --------------------------------------------------------------------------------------


def test_the_list_says_which_is_in_use_and_how_many_plans_follow_each(client, world):
    start_plan(world)
    client.force_login(world.director)

    response = client.get("/plans/templates/")

    rows = [(t.name, t.in_use, t.phase_count, t.plan_count) for t in response.context["templates"]]
    assert rows == [(DEFAULT, True, 3, 1), (OTHER, False, 3, 0)]
    assert "In use for new case plans" in response.text


def test_a_template_page_shows_its_phases_in_order(client, world):
    client.force_login(world.director)

    response = client.get(f"/plans/templates/{template().pk}/")

    text = response.text
    assert [phase.name for phase, _domains in response.context["phases"]] == ["Strengthen", "Heal", "Revitalize"]
    assert "Stabilize housing and income." in text
    assert "Income and employment" in text  # a suggested goal area, by its label
    assert "A monthly budget has been worked through together." in text
    assert "12 months in all" in text


def test_a_new_template_starts_as_a_copy(client, world):
    client.force_login(world.director)
    source = template(OTHER)

    page = client.get(f"/plans/templates/new/?from={source.pk}")
    response = client.post("/plans/templates/new/", {"source": source.pk, "name": "Our phases", "description": ""})

    assert page.context["form"].initial["name"] == f"Copy of {OTHER}"
    copy = PhaseTemplate.objects.get(name="Our phases")
    assert response.url == f"/plans/templates/{copy.pk}/edit/"
    assert (copy.in_use, copy.created_by, names(copy)) == (False, world.director, names(source))
    assert copy.phases.get(position=1).checklist == source.phases.get(position=1).checklist
    assert copy.history.get().history_change_reason == f"template.copied|[{source.pk}]"


@pytest.mark.parametrize("source", ["abc", "999999999", "-1", "<script>", ""])
def test_a_strange_copy_source_falls_back_to_the_template_in_use(client, world, source):
    client.force_login(world.director)

    response = client.get("/plans/templates/new/", {"from": source})

    assert response.status_code == 200
    assert response.context["form"].initial["source"] == template().pk


def test_a_template_name_is_used_once(client, world):
    client.force_login(world.director)

    response = client.post("/plans/templates/new/", {"source": template().pk, "name": OTHER.upper()})

    assert "already has this name" in response.context["form"].errors["name"][0]
    assert PhaseTemplate.objects.count() == 2
    with pytest.raises(services.TemplateError, match="already has this name"):
        services.copy_template(template(), by=world.director, name=f" {DEFAULT} ", description="")


# Changing one -----------------------------------------------------------------------------------


def test_editing_renames_reorders_adds_and_removes_phases(client, world):
    client.force_login(world.director)
    other = template(OTHER)
    crisis, _stabilization, sustainability = other.phases.order_by("position")
    rows = rows_of(other)
    rows[0].update(position="2", name="Safety first")
    rows[1].update(position="1")
    rows[2].update(DELETE="on")
    rows.append({"position": "", "name": "Belonging", "purpose": "Community ties.", "expected_months": "6"})

    response = client.post(f"/plans/templates/{other.pk}/edit/", post_phases(other, rows, description="Changed."))

    assert response.status_code == 302
    assert names(other) == ["Stabilization", "Safety first", "Belonging"]
    assert list(other.phases.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
    crisis.refresh_from_db()
    assert crisis.name == "Safety first"  # the same row, changed in place
    assert not Phase.objects.filter(pk=sustainability.pk).exists()
    assert sustainability.history.latest().history_type == "-"
    assert crisis.history.latest().history_change_reason == 'row.changed|[["position","name"]]'
    other.refresh_from_db()
    assert other.description == "Changed."


def test_two_phases_can_swap_names(world):
    other = template(OTHER)
    specs = specs_of(other)
    specs[0].name, specs[1].name = specs[1].name, specs[0].name

    services.update_template(other, by=world.director, name=OTHER, description="", phases=specs)

    assert names(other) == ["Stabilization", "Crisis", "Sustainability"]


def test_saving_an_unchanged_template_writes_no_history(world):
    other = template(OTHER)
    before = Phase.history.count() + PhaseTemplate.history.count()

    services.update_template(
        other, by=world.director, name=other.name, description=other.description, phases=specs_of(other)
    )

    assert Phase.history.count() + PhaseTemplate.history.count() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda rows: [{**row, "DELETE": "on"} for row in rows], None, "at least one phase"),
        (lambda rows: [rows[0], {**rows[1], "name": " crisis "}, rows[2]], "name", "Two phases have this name"),
        (lambda rows: [{**rows[0], "expected_months": "61"}, *rows[1:]], "expected_months", "less than or equal"),
        (lambda rows: [{**rows[0], "expected_months": "0"}, *rows[1:]], "expected_months", "greater than or equal"),
        (lambda rows: [{**rows[0], "checklist": "x\n" * 21}, *rows[1:]], "checklist", "20 items or fewer"),
        (lambda rows: [{**rows[0], "checklist": "x" * 301}, *rows[1:]], "checklist", "300 characters"),
        (lambda rows: [{**rows[0], "purpose": ""}, *rows[1:]], "purpose", "required"),
        (lambda rows: [{**rows[0], "suggested_domains": ["castles"]}, *rows[1:]], "suggested_domains", "valid choice"),
    ],
)
def test_editing_refuses_phases_that_do_not_hold_and_keeps_what_was_typed(client, world, change, field, message):
    client.force_login(world.director)
    other = template(OTHER)
    rows = change(rows_of(other))

    response = client.post(f"/plans/templates/{other.pk}/edit/", post_phases(other, rows, description="Kept text"))

    assert response.status_code == 200
    formset = response.context["formset"]
    if field is None:
        assert message in " ".join(formset.non_form_errors())
    else:
        assert message in " ".join(" ".join(form.errors.get(field, [])) for form in formset.forms)
    assert "Kept text" in response.text
    assert names(other) == ["Crisis", "Stabilization", "Sustainability"]


def test_a_phase_of_another_template_cannot_be_slipped_in(world):
    other = template(OTHER)
    specs = specs_of(other)
    specs[0].id = template().phases.first().pk

    with pytest.raises(services.TemplateError, match="not one of this template's"):
        services.update_template(other, by=world.director, name=OTHER, description="", phases=specs)


def test_a_phase_a_goal_is_set_in_cannot_be_removed(world):
    other = template(OTHER)
    crisis = other.phases.get(name="Crisis")
    Goal.objects.create(
        case=world.case_a, in_own_words="A safe place", domain="housing", phase=crisis, created_by=world.specialist
    )

    with pytest.raises(services.TemplateError, match="A goal is set in a phase you removed"):
        services.update_template(other, by=world.director, name=OTHER, description="", phases=specs_of(other)[1:])

    assert names(other) == ["Crisis", "Stabilization", "Sustainability"]


def test_a_template_case_plans_follow_cannot_be_changed(client, world):
    start_plan(world)
    client.force_login(world.director)
    default = template()
    rows = rows_of(default)
    rows[0]["name"] = "Renamed"

    page = client.get(f"/plans/templates/{default.pk}/edit/")
    response = client.post(f"/plans/templates/{default.pk}/edit/", post_phases(default, rows))

    assert page.status_code == 200
    assert "1 case plan follows this template, so it cannot be changed" in page.text
    assert f"/plans/templates/new/?from={default.pk}" in page.text
    assert "Make a copy to change it" in page.text
    # Only its other languages can still be written (tests/phases/test_translations.py): the English stays.
    assert response.status_code == 302
    assert names(default) == ["Strengthen", "Heal", "Revitalize"]
    with pytest.raises(services.TemplateError, match="cannot be changed"):
        services.update_template(default, by=world.director, name="New", description="", phases=specs_of(default))


# Choosing the one in use ------------------------------------------------------------------------


def test_using_another_template_switches_at_once_and_leaves_plans_alone(client, world):
    plan = start_plan(world)
    client.force_login(world.director)

    response = client.post(f"/plans/templates/{template(OTHER).pk}/use/")

    assert response.status_code == 302
    assert list(PhaseTemplate.objects.filter(in_use=True).values_list("name", flat=True)) == [OTHER]
    plan.refresh_from_db()
    assert plan.template == template()
    assert template().history.latest().history_change_reason == f"template.replaced|[{template(OTHER).pk}]"
    # A new plan follows the new one.
    later = start_plan(world, make_case(team=world.team_a, specialists=[world.specialist]))
    assert later.stays.get().phase.name == "Crisis"


def test_using_the_template_already_in_use_changes_nothing(world):
    before = PhaseTemplate.history.count()

    services.use_template(template(), by=world.director)

    assert PhaseTemplate.history.count() == before


def test_a_template_without_phases_cannot_be_used(client, world):
    empty = PhaseTemplate.objects.create(name="Empty")
    client.force_login(world.director)

    response = client.post(f"/plans/templates/{empty.pk}/use/", follow=True)

    assert "needs at least one phase" in response.text
    assert PhaseTemplate.objects.get(in_use=True).name == DEFAULT


# A template change leaves past journeys intact ----------------------------------------------------


def journey_of(plan) -> list[tuple]:
    return [(s.phase.name, s.phase.purpose, s.entered_on, s.left_on, s.how) for s in plan.stays.select_related("phase")]


def test_changing_the_programs_template_leaves_past_journeys_as_they_were(client, world):
    case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=TODAY - timedelta(days=60))
    plan = journey.start_plan(
        case, by=world.specialist, template=template(), started_on=TODAY - timedelta(days=60), expected_months=12
    )
    review = journey.request_move(
        plan,
        by=world.specialist,
        done=[True] * 5,
        specialist_note="Settled.",
        survivor_view="Ready.",
        move_on=TODAY - timedelta(days=10),
    )
    journey.sign_off_move(review, by=world.supervisor)
    before = [
        (s.phase.name, s.phase.purpose, s.entered_on, s.left_on, s.how) for s in plan.stays.select_related("phase")
    ]

    # The director copies the program's template, renames every phase, and uses the copy.
    copy = services.copy_template(template(), by=world.director, name="Renewed", description="")
    specs = specs_of(copy)
    for spec, new_name in zip(specs, ["Ground", "Grow", "Go"], strict=True):
        spec.name, spec.purpose = new_name, f"{new_name} purpose"
    services.update_template(copy, by=world.director, name="Renewed", description="", phases=specs[:2])
    services.use_template(copy, by=world.director)

    plan.refresh_from_db()
    after = [
        (s.phase.name, s.phase.purpose, s.entered_on, s.left_on, s.how) for s in plan.stays.select_related("phase")
    ]
    assert after == before
    assert plan.template == template()
    review.refresh_from_db()
    assert (review.from_phase.name, review.to_phase.name) == ("Strengthen", "Heal")
    client.force_login(world.supervisor)
    page = client.get(f"/cases/{case.pk}/plan/").text
    assert "Now in Heal" in page
    assert "Ground" not in page
    assert names(template()) == ["Strengthen", "Heal", "Revitalize"]


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 5])
def test_the_template_pages_cost_the_same_queries_however_many(client, world, size, django_assert_num_queries):
    for n in range(size):
        services.copy_template(template(), by=world.director, name=f"Copy {n}", description="")
        start_plan(world, make_case(team=world.team_a, specialists=[world.specialist], legal_name=f"P{n}"))
    client.force_login(world.director)
    client.get("/plans/templates/")

    with django_assert_num_queries(4):
        listed = client.get("/plans/templates/")
    with django_assert_num_queries(6):
        shown = client.get(f"/plans/templates/{template().pk}/")
    with django_assert_num_queries(7):
        edited = client.get(f"/plans/templates/{template(OTHER).pk}/edit/")

    assert len(listed.context["templates"]) == 2 + size
    assert shown.context["template"].plan_count == size
    assert edited.status_code == 200
