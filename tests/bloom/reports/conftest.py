"""The fixtures of the funder and program report tests (``tests/bloom/reports/program.py``)."""

from dataclasses import replace

import pytest

from bloom.reports import funders
from cases.models import FunderCode, FunderScheme
from tests.bloom.reports.program import VS, Counted


@pytest.fixture
def counted(monkeypatch, db) -> Counted:
    """The victim-services report counts what ``Counted`` says, over the catalogue's first two codes."""
    codes = list(FunderCode.objects.filter(scheme=FunderScheme.VICTIM_SERVICES).values_list("code", flat=True)[:2])
    build = Counted(codes)
    monkeypatch.setitem(funders.DEFINITIONS, VS, replace(funders.DEFINITIONS[VS], build=build))
    return build


@pytest.fixture
def director(client, world):
    """A client signed in as the program director, who may produce the reports."""
    client.force_login(world.director)
    return client
