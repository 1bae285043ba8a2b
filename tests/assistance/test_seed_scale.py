"""The assistance scale data of `make bench`: as many requests as asked, each as the model allows."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import F, Q
from django.utils import timezone

from assistance import queries
from assistance.demo import seed_scale_requests
from assistance.models import AssistanceRequest, Fund, Payment
from tests.factories import make_case

Status = AssistanceRequest.Status


@pytest.fixture
def cases(world):
    today = timezone.localdate()
    for n in range(6):
        make_case(
            team=world.team_a if n % 2 else world.team_b,
            specialists=[world.specialist] if n % 2 else [world.outsider],
            legal_name=f"Person {n}",
            opened_on=today - timedelta(days=60 * n),
        )
    return world


def test_seeds_the_count_asked_for_in_every_status(cases):
    assert seed_scale_requests(200) == 200
    assert AssistanceRequest.objects.count() == 200
    statuses = set(AssistanceRequest.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    # Grows to the total: nothing more when it is there, the difference when it is not.
    assert seed_scale_requests(200) == 0
    assert seed_scale_requests(230) == 30
    assert AssistanceRequest.objects.count() == 230


def test_every_request_has_the_people_and_dates_its_status_needs(cases):
    seed_scale_requests(200)
    requests = AssistanceRequest.objects.all()
    above = settings.BLOOM_SECOND_APPROVAL_ABOVE
    today = timezone.localdate()

    # The database's own constraints held on the way in; the rest of what is realistic here.
    assert not requests.filter(approved_by=F("requested_by")).exists()
    assert not requests.filter(second_approved_by=F("requested_by")).exists()
    assert not requests.filter(status=Status.WAITING, approved_by__isnull=False).exists()
    assert not requests.filter(status__in=AssistanceRequest.COMMITTED, approved_by__isnull=True).exists()
    assert not requests.filter(status=Status.SECOND_APPROVAL, amount__lte=above).exists()
    assert not requests.filter(status=Status.SECOND_APPROVAL, second_approved_by__isnull=False).exists()
    assert not requests.filter(
        status__in=AssistanceRequest.COMMITTED, amount__gt=above, second_approved_by__isnull=True
    ).exists()
    closed = requests.filter(status__in=[Status.DENIED, Status.CANCELLED])
    assert closed.exists()
    assert not closed.filter(Q(closed_by__isnull=True) | Q(close_reason="")).exists()
    assert not requests.exclude(status__in=[Status.DENIED, Status.CANCELLED]).filter(closed_by__isnull=False).exists()
    assert not requests.filter(payee_kind=AssistanceRequest.Payee.SURVIVOR).exclude(payee_name="").exists()
    assert not requests.filter(Q(needed_by__lt=F("fund__starts_on")) | Q(needed_by__gt=F("fund__ends_on"))).exists()
    assert not requests.filter(requested_at__gt=timezone.now()).exists()
    for asked in requests.exclude(approved_at=None):
        assert asked.requested_at <= asked.approved_at <= timezone.now()
        assert asked.second_approved_at is None or asked.approved_at < asked.second_approved_at
        assert asked.category in {budget.category for budget in asked.fund.budgets.all()}

    # Paid, and only paid, has its one payment, made within the fund's period, never by the requester.
    paid = requests.filter(status=Status.PAID)
    assert Payment.objects.count() == paid.count() > 0
    assert not paid.filter(payment__isnull=True).exists()
    for payment in Payment.objects.select_related("request__fund"):
        fund = payment.request.fund
        assert fund.starts_on <= payment.paid_on <= min(today, fund.ends_on)
        assert payment.paid_on >= timezone.localdate(payment.request.requested_at)
        assert payment.paid_by_id != payment.request.requested_by_id
    assert all(isinstance(amount, type(above)) for amount in requests.values_list("amount", flat=True))


def test_the_command_grows_the_requests_and_refuses_production(cases, settings):
    call_command("seed_assistance", "--requests=40")
    assert AssistanceRequest.objects.count() == 40
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_assistance", "--requests=80")
    assert AssistanceRequest.objects.count() == 40


def test_the_scale_data_keeps_within_its_funds_budgets(cases):
    seed_scale_requests(300)

    for fund in Fund.objects.all():
        figures = queries.category_figures(fund)
        assert figures.total.remaining >= 0, fund
        assert all(row.remaining >= 0 for row in figures.rows), fund
