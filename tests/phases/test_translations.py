"""The program's phases in every language: a reader sees the director's words in their own, and the
director writes them beside the English, even on a template case plans already follow."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from bloom.notifications.models import Notification
from phases import figures
from phases.models import Phase
from phases.printouts import case_plan_context
from phases.services import templates as services
from tests.factories import ask_to_move, make_case, speaks, start_plan
from tests.phases.test_templates import DEFAULT, OTHER, post_phases, rows_of, template

TODAY = timezone.localdate()
STRENGTHEN_ES = [
    "La vivienda está resuelta por ahora (de emergencia, de transición o a largo plazo).",
    "Los ingresos o beneficios ya están disponibles o en trámite.",
    "Se preparó un presupuesto mensual en conjunto.",
    "El plan de seguridad se revisó durante esta fase.",
    "La persona sobreviviente dice que está lista para pasar a la siguiente fase.",
]


@pytest.fixture
def journey(world):
    """Case A's survivor with a plan started 90 days ago, in Strengthen."""
    case = make_case(
        team=world.team_a, specialists=[world.specialist], legal_name="Paz Plan", opened_on=TODAY - timedelta(days=100)
    )
    return start_plan(case, world.specialist, started_on=TODAY - timedelta(days=90))


# The default templates in Spanish ------------------------------------------------------------


@pytest.mark.django_db
def test_the_default_templates_have_their_spanish_beside_the_english():
    default, other = template(DEFAULT), template(OTHER)

    assert default.in_language("es")["name"] == "Fortalecer, Sanar, Revitalizar"
    assert [p.in_language("es")["name"] for p in default.phases.order_by("position")] == [
        "Fortalecer",
        "Sanar",
        "Revitalizar",
    ]
    assert default.phases.get(name="Strengthen").in_language("es")["checklist"] == STRENGTHEN_ES
    assert [p.in_language("es")["name"] for p in other.phases.order_by("position")] == [
        "Crisis",
        "Estabilización",
        "Sostenibilidad",
    ]
    for phase in Phase.objects.filter(template__in=[default, other]):
        assert len(phase.in_language("es")["checklist"]) == len(phase.checklist), phase.name
        assert phase.history.latest().translations == phase.translations


# What a reader sees --------------------------------------------------------------------------


def test_a_spanish_reader_sees_the_phase_and_its_checklist_in_spanish(client, world, journey):
    client.force_login(speaks(world.specialist, "es"))

    plan = client.get(f"/cases/{journey.case_id}/plan/")
    move = client.get(f"/cases/{journey.case_id}/plan/move/")

    assert "Fortalecer" in plan.text
    assert "Estabilizar la vivienda y los ingresos." in plan.text
    assert "Sanar" in plan.text  # the next phase
    assert "Strengthen" not in plan.text
    for item in STRENGTHEN_ES:
        assert item in move.text
    assert "Housing is settled for now" not in move.text


def test_an_english_reader_sees_the_english(client, world, journey):
    client.force_login(speaks(world.specialist, "en"))

    plan = client.get(f"/cases/{journey.case_id}/plan/")

    assert "Strengthen" in plan.text
    assert "Fortalecer" not in plan.text


def test_a_review_answered_in_english_reads_in_spanish_item_by_item(world, journey):
    review = ask_to_move(journey, world.specialist, done=[True, False, True, True, True])

    with translation.override("es"):
        answered = review.answered_checklist()
    with translation.override("en"):
        english = review.answered_checklist()

    assert [entry["item"] for entry in answered] == STRENGTHEN_ES
    assert [entry["done"] for entry in answered] == [True, False, True, True, True]
    assert [entry["item"] for entry in english] == list(review.from_phase.checklist)


def test_the_move_notice_names_the_phase_in_its_readers_language(world, journey):
    ask_to_move(journey, world.specialist)
    notice = Notification.objects.get(kind=Notification.Kind.PHASE_MOVE_REQUESTED, recipient=world.supervisor)

    with translation.override("es"):
        assert "Sanar" in notice.text
        assert "Heal" not in notice.text
    with translation.override("en"):
        assert "Heal" in notice.text


def test_the_survivors_printout_names_the_phase_in_the_printouts_language(world, journey):
    with translation.override("es"):
        spanish = case_plan_context(journey.case)["phase"]
    with translation.override("en"):
        english = case_plan_context(journey.case)["phase"]

    assert (spanish.name, spanish.purpose) == ("Fortalecer", "Estabilizar la vivienda y los ingresos.")
    assert (english.name, english.purpose) == ("Strengthen", "Stabilize housing and income.")


def test_the_case_list_and_its_phase_filter_name_the_phase_in_the_readers_language(client, world, journey):
    client.force_login(speaks(world.specialist, "es"))

    listed = client.get("/cases/")

    assert "Fortalecer" in listed.text
    with translation.override("es"):
        assert "Sanar" in dict(figures.phase_choices()).values()


def test_the_dashboard_counts_survivors_by_phase_in_the_readers_language(world, journey):
    from bloom.reports.dashboards.director import phases_on  # noqa: PLC0415 (the dashboard reads phases)

    with translation.override("es"):
        assert [count.name for count in phases_on(world.director, TODAY) if count.name] == ["Fortalecer"]


# The director writes the other languages ----------------------------------------------------


def spanish_rows(tmpl, **changes) -> list[dict]:
    """The phases' rows as the edit page sends them (their Spanish included), with ``row0=...`` changed."""
    rows = rows_of(tmpl)
    for index, values in changes.items():
        rows[int(index.removeprefix("row"))] |= values
    return rows


def test_the_director_writes_a_phase_in_spanish_with_its_history(client, world):
    client.force_login(world.director)
    other = template(OTHER)

    page = client.get(f"/plans/templates/{other.pk}/edit/")
    response = client.post(
        f"/plans/templates/{other.pk}/edit/",
        post_phases(
            other,
            spanish_rows(other, row0={"name_es": "Emergencia"}),
            name_es="Crisis (es)",
            description_es="Para programas en crisis.",
        ),
    )

    assert 'name="phases-0-name_es"' in page.text
    assert 'lang="es"' in page.text
    assert response.status_code == 302
    crisis = other.phases.get(name="Crisis")
    assert crisis.in_language("es")["name"] == "Emergencia"
    assert crisis.history.latest().history_user == world.director
    assert crisis.history.latest().translations["es"]["name"] == "Emergencia"
    assert template(OTHER).in_language("es") == {"name": "Crisis (es)", "description": "Para programas en crisis."}


def test_a_checklist_in_spanish_with_another_number_of_items_is_refused_beside_it(client, world):
    client.force_login(world.director)
    other = template(OTHER)
    before = other.phases.get(name="Crisis").translations

    response = client.post(
        f"/plans/templates/{other.pk}/edit/",
        post_phases(other, spanish_rows(other, row0={"checklist_es": "Solo uno\nY otro"})),
    )

    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert list(errors) == ["checklist_es"]
    assert "The English has 3 items" in errors["checklist_es"][0]
    assert "Solo uno\nY otro" in response.text  # what was typed is kept
    assert other.phases.get(name="Crisis").translations == before


def test_the_service_refuses_it_too(world):
    other = template(OTHER)
    specs = [
        services.PhaseSpec(
            id=p.pk,
            name=p.name,
            purpose=p.purpose,
            expected_months=p.expected_months,
            checklist=list(p.checklist),
            translations={"es": {"checklist": ["Solo uno"]}} if p.position == 1 else None,
        )
        for p in other.phases.order_by("position")
    ]

    with pytest.raises(services.TemplateError, match="Crisis: The English has 3 items"):
        services.update_template(other, by=world.director, name=OTHER, description="", phases=specs)
    with pytest.raises(services.TemplateError) as refused:
        services.translate_template(other, by=world.director, translations={"es": {"name": "x" * 101}}, phases={})
    assert list(refused.value.message_dict) == ["name_es"]


def test_an_empty_spanish_checklist_is_fine_and_the_english_shows(world):
    other = template(OTHER)
    crisis = other.phases.get(name="Crisis")

    services.translate_template(
        other, by=world.director, translations={}, phases={crisis.pk: {"es": {"name": "Crisis", "checklist": []}}}
    )

    crisis.refresh_from_db()
    assert crisis.translations == {"es": {"name": "Crisis"}}
    with translation.override("es"):
        assert crisis.local("checklist") == crisis.checklist


def test_a_template_plans_follow_keeps_its_english_but_takes_its_spanish(client, world, journey):
    client.force_login(world.director)
    default = template(DEFAULT)
    rows = spanish_rows(default, row1={"name": "Renamed", "name_es": "Sanación"})

    page = client.get(f"/plans/templates/{default.pk}/edit/")
    response = client.post(f"/plans/templates/{default.pk}/edit/", post_phases(default, rows, name="Renamed too"))

    assert "1 case plan follows this template, so it cannot be changed" in page.text
    assert 'name="phases-1-name_es"' in page.text
    assert 'name="phases-1-name" value="Heal"' in page.text
    assert "disabled" in page.text
    assert response.status_code == 302
    heal = default.phases.get(position=2)
    assert (heal.name, heal.in_language("es")["name"]) == ("Heal", "Sanación")
    assert template(DEFAULT).name == DEFAULT
    # The journey already made reads the new words: it is the same phase.
    with translation.override("es"):
        assert heal.local("name") == "Sanación"


def test_two_phases_cannot_share_a_spanish_name(client, world):
    client.force_login(world.director)
    other = template(OTHER)

    response = client.post(
        f"/plans/templates/{other.pk}/edit/",
        post_phases(other, spanish_rows(other, row0={"name_es": "Estabilización"})),
    )

    assert response.status_code == 200
    assert "name_es" in response.context["formset"].forms[0].errors


def test_a_copy_keeps_the_phases_spanish(world):
    copy = services.copy_template(template(DEFAULT), by=world.director, name="Mine", description="")

    assert [p.in_language("es").get("name") for p in copy.phases.order_by("position")] == [
        "Fortalecer",
        "Sanar",
        "Revitalizar",
    ]
    assert copy.translations == {}


@pytest.mark.parametrize("size", [1, 5])
def test_the_pages_cost_the_same_in_spanish_however_many(client, world, size, django_assert_num_queries):
    for n in range(size):
        services.copy_template(template(), by=world.director, name=f"Copy {n}", description="")
        plan = start_plan(
            make_case(team=world.team_a, specialists=[world.specialist], legal_name=f"P{n}"), world.specialist
        )
    client.force_login(speaks(world.director, "es"))
    client.get("/plans/templates/")

    with django_assert_num_queries(4):
        listed = client.get("/plans/templates/")
    with django_assert_num_queries(6):
        shown = client.get(f"/plans/templates/{template().pk}/")
    with django_assert_num_queries(7):
        frozen = client.get(f"/plans/templates/{template().pk}/edit/")

    assert "Fortalecer, Sanar, Revitalizar" in listed.text
    assert "Revitalizar" in shown.text
    assert 'name="phases-2-checklist_es"' in frozen.text
    assert plan.template == template()
