"""Stored text is shown escaped everywhere: proven over a world whose every text holds markup.

Every text column of every kind of record (their history rows too) is filled with live markup,
once per module. Then every page of the access matrix is opened once, as someone it answers
200, and every PDF builder renders its report; no page or printout may carry the markup live.
The other half of the proof is ``test_nothing_is_marked_safe_outside_the_allow_list``: the
templates and the code turn escaping off only where this file says why.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from bloom.reports import funders
from bloom.reports.builders import BUILDERS
from tests.conftest import ROOT
from tests.hostile.corpus import MARKUP, SHORT_MARKUP
from tests.hostile.harness import assert_no_live_markup
from tests.matrix import MATRIX, PERSONAS, last_fiscal_year
from tests.objects import Objects

APPS = {"accounts", "directory", "audit", "notifications", "reports", "cases", "phases", "assistance", "outreach",
        "training"}  # fmt: skip

# Text columns left as they are, and why: none of them is text a person typed.
NOT_TEXT = {
    "accounts.User.password": "a hash",
    "notifications.Notification.dedupe_key": "a key against duplicate reminders, never shown",
    "reports.ReportJob.kind": "the name of a builder",
    "cases.Survivor.phone_digits": "worked out from the phone, for search",
    "cases.Document.content_type": "worked out from the file's content",
    "cases.Document.sha256": "worked out from the file's content",
    "training.Construct.code": "a key the evaluation reads",
    "training.TrainingEvent.survey_token": "a random token in the survey link's address",
    "training.SubmissionMark.device": "a hash",
    "training.SubmissionMark.network": "a hash",
}
# Lists of free text kept as JSON.
TEXT_LISTS = {"phases.Phase.checklist"}


def markup_for(index: int, max_length: int | None) -> str | None:
    """Live markup that fits the column, with room for the row's id (to keep unique columns unique)."""
    for markup in (MARKUP[index % 3], SHORT_MARKUP):
        if max_length is None or len(markup) + 8 <= max_length:
            return markup
    return None


def base_model(model):
    """The model a history model keeps the versions of, or the model itself."""
    return getattr(model, "instance_type", model)


def text_columns(model) -> list[models.Field]:
    base = base_model(model)
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, CharField | models.TextField)
        and not f.choices
        and not f.primary_key
        and not f.name.startswith("history_")  # the history's own bookkeeping, written by Bloom
        and f"{base._meta.label}.{f.name}" not in NOT_TEXT
    ]


def poison() -> None:
    """Every text column of every record (history rows included) holds markup, made unique by the row's id.

    A column some rule keeps empty in some state (a deletion's reason on a kept document) is
    filled only where it already holds something.
    """
    index = 0
    for model in apps.get_models():
        if model._meta.app_label not in APPS or not model._meta.managed or model._meta.proxy:
            continue
        for field in text_columns(model):
            markup = markup_for(index, field.max_length)
            index += 1
            if markup is None:
                continue
            value = {field.attname: Concat(Value(markup), Cast("pk", CharField()))}
            try:
                with transaction.atomic():
                    model._base_manager.update(**value)
            except IntegrityError:
                model._base_manager.exclude(**{field.attname: ""}).update(**value)
        for name in TEXT_LISTS:
            app_model, _dot, field_name = name.rpartition(".")
            if base_model(model)._meta.label == app_model:
                for pk, items in model._base_manager.values_list("pk", field_name):
                    model._base_manager.filter(pk=pk).update(**{field_name: [f"{MARKUP[0]} {item}" for item in items]})


@pytest.fixture(scope="module")
def poisoned(module_objects, django_db_blocker) -> Objects:
    with django_db_blocker.unblock():
        poison()
    return module_objects


def reader(declared) -> str | None:
    """The first persona the route answers 200 to a GET."""
    return next((persona for persona in PERSONAS if declared.GET[persona] == "200"), None)


PAGES = [pytest.param(route, id=f"/{route}") for route, declared in MATRIX.items() if reader(declared)]


@pytest.mark.parametrize("route", PAGES)
def test_every_page_shows_stored_markup_escaped(poisoned, db, route):
    declared = MATRIX[route]
    persona = reader(declared)
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(poisoned.world, persona))

    response = client.get(declared.path(poisoned))

    assert response.status_code == 200
    if response.get("Content-Type", "").startswith("text/html"):
        assert_no_live_markup(response.content.decode(), route)


def subjects(o: Objects) -> dict:
    """Each builder's subject and the person who asks for it."""
    return {
        "case_face_sheet": (o.world.specialist, o.world.case_a.pk, {}),
        "survivor_case_plan": (o.world.specialist, o.journey_plan.case_id, {}),
        "survivor_safety_plan": (o.world.specialist, o.world.case_a.pk, {}),
        "training_event_evaluation": (o.world.trainer, o.training_event.pk, {}),
        "training_evaluation": (o.world.trainer, 0, {"start": "2000-01-01", "end": "2099-12-31", "by": "quarter"}),
        **{kind: (o.world.director, 0, {**last_fiscal_year(), "fund": o.fund.pk}) for kind in funders.DEFINITIONS},
        # Internal copies with notes, over the last month: every narrative of case A's (and team A's) is printed.
        "case_service_report": (o.world.specialist, o.world.case_a.pk, {**last_month(), "audience": "internal"}),
        "team_service_report": (o.world.supervisor, o.world.team_a.pk, last_month()),
        "survivor_copy": (o.world.specialist, o.world.case_a.pk, {"language": "en", "staff_notes": True}),
    }


def last_month() -> dict:
    today = timezone.localdate()
    return {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat(), "notes": True}


class CapturedHTML:
    """What a builder hands WeasyPrint, kept instead of rendered (what is checked is the markup)."""

    rendered: list[str] = []

    def __init__(self, *, string, **_options):
        self.rendered.append(string)

    def write_pdf(self):
        return b"%PDF-1.4\n%%EOF\n"


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_every_printout_shows_stored_markup_escaped(poisoned, db, monkeypatch, kind):
    import weasyprint  # noqa: PLC0415 (the builders import it when they render)

    monkeypatch.setattr(weasyprint, "HTML", CapturedHTML)
    CapturedHTML.rendered = []
    builder = BUILDERS[kind]
    user, target, parameters = subjects(poisoned)[kind]
    subject = builder.authorize(user, target)
    extra = {"parameters": parameters} if builder.read_parameters else {}

    builder.build(subject, requested_by=user, progress=lambda percent: None, **extra)

    [html] = CapturedHTML.rendered
    assert_no_live_markup(html, kind)
    assert any(escape(markup) in html for markup in (*MARKUP[:3], SHORT_MARKUP)), "no stored text was printed"


# Where escaping is turned off on purpose, and why. A new place fails the test until it is added here.
MARKED_SAFE = {
    "bloom/accounts/views.py": (1, "the authenticator's QR code, an SVG that segno draws from the device's key"),
    "bloom/charts/base.py": (1, "the empty SVG of a chart with nothing to draw; every text is put in by format_html"),
    "training/charts.py": (1, "the survey link's QR code, an SVG that segno draws from our own URL"),
    "cases/forms/listing.py": (1, "the case list's filter fields, each part put in by format_html"),
    "cases/templatetags/case_rows.py": (1, "the case list's rows, each value escaped as the template did"),
    "bloom/reports/templatetags/home_rows.py": (1, "the specialist's home lists, each value escaped"),
    "bloom/reports/templatetags/team_numbers.py": (1, "the team dashboard's numbers, each value escaped"),
}
UNSAFE = re.compile(r"\bmark_safe\(|\bSafeString\(|\bSafeText\(|\|\s*safe(seq)?\b|\{%\s*autoescape\s+off")
CODE = ["bloom", "cases", "phases", "assistance", "outreach", "training", "templates"]


def test_nothing_is_marked_safe_outside_the_allow_list():
    found = {}
    for top in CODE:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix not in {".py", ".html", ".txt", ".svg"} or "migrations" in path.parts:
                continue
            count = len(UNSAFE.findall(path.read_text(encoding="utf-8")))
            if count:
                found[str(path.relative_to(ROOT))] = count

    assert found == {path: count for path, (count, _why) in MARKED_SAFE.items()}


def test_the_allow_list_names_real_files():
    assert all(Path(ROOT, path).is_file() for path in MARKED_SAFE)
