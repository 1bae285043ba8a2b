from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from assistance.services import help as help_services
from assistance.services import housing as housing_services
from cases import timeline
from tests.factories import ask_money, make_fund


def test_money_help_and_housing_are_on_the_case_timeline(client, world):
    today = timezone.localdate()
    fund = make_fund(world.director)
    asked = ask_money(world.case_a, world.specialist, fund, amount="640.00", purpose="First month's rent")
    help_services.give(
        world.case_a,
        by=world.specialist,
        details=help_services.ItemDetails(
            kind="hygiene kit", description="", quantity=2, value=Decimal("50.00"), given_on=today
        ),
    )
    housing_services.place(
        world.case_a,
        by=world.specialist,
        details=housing_services.StayDetails(
            kind="emergency",
            long_term="",
            provider=None,
            provider_name="Harbor House",
            started_on=today,
            expected_end=today + timedelta(days=30),
        ),
    )
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
