from django.urls import reverse

from cases import timeline
from tests.factories import ask_money, give_kit, make_fund, shelter_stay


def test_money_help_and_housing_are_on_the_case_timeline(client, world):
    fund = make_fund(world.director)
    asked = ask_money(world.case_a, world.specialist, fund, amount="640.00", purpose="First month's rent")
    give_kit(world.case_a, world.specialist, quantity=2)
    shelter_stay(world.case_a, world.specialist)
    client.force_login(world.specialist)

    response = client.get(reverse("cases:timeline", args=[world.case_a.pk]))

    kinds = {entry.kind for entry in response.context["entries"]}
    assert {"assistance request", "help in kind", "housing stay"} <= kinds
    html = response.content.decode()
    assert f"Money asked for: $640.00 for Rent ({asked.number})" in html
    assert "Help given: Hygiene kit (2)" in html
    assert "Housing: Emergency shelter" in html
    assert "Harbor House" in html


def test_the_timeline_can_show_only_housing(world):
    fund = make_fund(world.director)
    ask_money(world.case_a, world.specialist, fund)

    _page, entries = timeline.timeline_page(world.case_a, kinds=["housing stay"])

    assert entries == []
