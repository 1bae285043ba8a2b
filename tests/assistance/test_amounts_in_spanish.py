"""Amounts mean the same in Spanish as in English: "$1,500.00" is read and shown one way.

A Spanish reader may write "1.500,00" for fifteen hundred; Bloom refuses it rather than read
it as $1.50, whatever the page's language. Days travel as ISO dates (the browser's date
picker), which a Spanish page reads as an English one does.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from assistance.forms import RequestForm
from assistance.models import LARGEST_REQUEST, AssistanceRequest
from bloom.forms import MoneyField
from tests.factories import ask_money, make_fund

# Django's own Spanish month names, so that these tests need no catalogue of Bloom's.
SPANISH_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                  "octubre", "noviembre", "diciembre"]  # fmt: skip

FIFTEEN_HUNDRED = Decimal("1500.00")
READ_AS_FIFTEEN_HUNDRED = ["1,500.00", "1500.00", "1500", "$1,500.00", " 1,500 ", "$1500.0"]
# Spanish and other European ways of writing an amount: refused, never read another way.
REFUSED = ["1.500,00", "1500,00", "1.500.000", "1 500,00", "1,500,00", "1,5"]


@pytest.fixture
def fund(world):
    return make_fund(world.finance)


def ask_post(fund, **changes):
    return {
        "fund": fund.pk,
        "category": "rent",
        "amount": "400",
        "payee_kind": "landlord",
        "payee_name": "Park Street Apartments LLC",
        "payee_details": "12 Park Street, Hartford",
        "purpose": "Rent for this month",
        "needed_by": (timezone.localdate() + timedelta(days=7)).isoformat(),
        **changes,
    }


def in_spanish(user):
    user.language = "es"
    user.save(update_fields=["language"])
    return user


# Below HTTP: every field of money, in both languages --------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("typed", READ_AS_FIFTEEN_HUNDRED)
def test_an_amount_reads_the_same_in_either_language(language, typed):
    with translation.override(language):
        assert MoneyField(largest=LARGEST_REQUEST).clean(typed) == FIFTEEN_HUNDRED


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("typed", REFUSED)
def test_an_amount_written_with_a_decimal_comma_is_refused_in_either_language(language, typed):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        MoneyField(largest=LARGEST_REQUEST).clean(typed)

    assert refused.value.code == "invalid"


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("typed", ["1.500", "1.500,00", "12.345"])
def test_an_amount_with_a_point_for_thousands_is_refused(language, typed):
    """$1.50 to one reader and $1,500 to another: refused, never read either way."""
    with translation.override(language), pytest.raises(ValidationError):
        MoneyField(largest=LARGEST_REQUEST).clean(typed)


@pytest.mark.parametrize("typed", ["1,500.00", "1500.00"])
def test_the_request_form_reads_fifteen_hundred_in_spanish(world, fund, typed):
    with translation.override("es"):
        form = RequestForm(ask_post(fund, amount=typed))

        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == FIFTEEN_HUNDRED


def test_the_request_form_refuses_a_decimal_comma_in_spanish(world, fund):
    with translation.override("es"):
        form = RequestForm(ask_post(fund, amount="1.500,00"))

        assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["amount"]] == ["invalid"]


def test_an_amount_to_edit_is_offered_with_a_decimal_point_in_spanish(world, fund):
    with translation.override("es"):
        html = str(RequestForm(initial={"amount": FIFTEEN_HUNDRED})["amount"])

    assert 'value="1500.00"' in html


def test_a_day_is_read_and_offered_as_an_iso_date_in_spanish(world, fund):
    day = timezone.localdate() + timedelta(days=7)

    with translation.override("es"):
        form = RequestForm(ask_post(fund, needed_by=day.isoformat()))
        valid = form.is_valid()
        offered = str(RequestForm(initial={"needed_by": day})["needed_by"])

    assert valid, form.errors
    assert form.cleaned_data["needed_by"] == day
    assert f'type="date" name="needed_by" value="{day.isoformat()}"' in offered


# Through HTTP: a Spanish-speaking specialist asks for money -------------------------------------


def test_a_spanish_speaker_asks_for_fifteen_hundred_and_the_request_reads_it_the_american_way(client, world, fund):
    client.force_login(in_spanish(world.specialist))

    response = client.post(
        reverse("assistance:request_new", args=[world.case_a.pk]), ask_post(fund, amount="1,500.00"), follow=True
    )

    made = AssistanceRequest.objects.get()
    html = response.content.decode()
    assert response.wsgi_request.LANGUAGE_CODE == "es"
    assert made.amount == FIFTEEN_HUNDRED
    assert "$1,500.00" in html
    assert "1.500,00" not in html


def test_a_spanish_speaker_who_writes_a_decimal_comma_is_refused_and_nothing_is_asked(client, world, fund):
    client.force_login(in_spanish(world.specialist))

    response = client.post(reverse("assistance:request_new", args=[world.case_a.pk]), ask_post(fund, amount="1.500,00"))

    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert [error.code for error in response.context["form"].errors.as_data()["amount"]] == ["invalid"]
    assert 'value="1.500,00"' in response.content.decode()  # kept, to be corrected
    assert not AssistanceRequest.objects.exists()


def test_a_request_page_in_spanish_has_spanish_dates_and_american_amounts(client, world, fund):
    asked = ask_money(world.case_a, world.specialist, fund, amount="1234.50")
    client.force_login(in_spanish(world.specialist))

    html = client.get(reverse("assistance:request", args=[asked.pk])).content.decode()

    needed_by = asked.needed_by
    assert '<html lang="es">' in html
    assert "$1,234.50" in html
    assert f"{needed_by.day} de {SPANISH_MONTHS[needed_by.month - 1]} de {needed_by.year}" in html
