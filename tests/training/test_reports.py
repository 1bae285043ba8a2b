"""The training evaluation as a PDF, for an event and over a period: built by a real Celery worker,
read back as text; who may ask for it; a period that makes no sense; how averages are printed."""

import io
import re
import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from bloom.reports.models import ReportJob
from tests.training.support import AFTER, BEFORE, attendee, enter
from training import services
from training.stats import Comparison
from training.templatetags.training_tags import average, p_value, signed, significance

EVENT_REPORT, PERIOD_REPORT = "training_event_evaluation", "training_evaluation"
SIGNED_IN = "Wilhelmina Signedin"
LISTED = ("Odessa Quarrington", "Bartholomew Ysolde", "Cyprian Mulvaney")
TO = "\u2013"  # the en dash between the ends of a scale


def flat(text: str) -> str:
    """The PDF's text with line breaks and runs of spaces made single spaces (words wrap across lines)."""
    return re.sub(r"\s+", " ", text)


def build(client, user, kind: str, target: int, celery_worker, data=None) -> str:
    """Ask for the report as ``user``, wait for the real worker to build it, download it and read its text."""
    process, log = celery_worker
    client.force_login(user)
    response = client.post(reverse("reports:request", args=[kind, target]), data or {})
    assert response.status_code == 302, response.content.decode()[:500]
    job = ReportJob.objects.get(kind=kind, requested_by=user)
    deadline = time.monotonic() + 90
    while job.is_pending and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.3)
        job.refresh_from_db()
    assert job.status == "done", log.read_text()[-3000:]
    download = client.get(reverse("reports:download", args=[job.public_id]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    return flat("\n".join(page.extract_text() for page in pdf.pages))


def surveyed_event(world, course, **fields):
    """The hand-worked surveys of test_evaluation on one event, with a name on its sign-in list."""
    event = course.event(**fields)
    services.add_attendee(event, by=world.trainer, details=attendee(SIGNED_IN, organization="Hartford High"))
    enter(event, world.trainer, "pre", BEFORE)
    enter(event, world.trainer, "post", AFTER)
    return event


# The PDFs ------------------------------------------------------------------------------------


# Who may ask, and for what -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["specialist", "outreach", "volunteer", "finance"])
@pytest.mark.parametrize("kind", [EVENT_REPORT, PERIOD_REPORT])
def test_someone_who_may_not_see_results_cannot_ask_for_the_report(client, world, course, persona, kind):
    event = surveyed_event(world, course)
    client.force_login(getattr(world, persona))
    target = event.pk if kind == EVENT_REPORT else 0

    response = client.post(
        reverse("reports:request", args=[kind, target]), {"start": "2025-01-01", "end": "2025-12-31"}
    )

    assert response.status_code == 404
    assert ReportJob.objects.count() == 0


@pytest.mark.parametrize("persona", ["trainer", "supervisor", "director"])
def test_those_who_see_results_may_ask_for_both_reports(
    client, world, course, persona, django_capture_on_commit_callbacks
):
    event = surveyed_event(world, course)
    client.force_login(getattr(world, persona))

    with django_capture_on_commit_callbacks(execute=False):
        one = client.post(reverse("reports:request", args=[EVENT_REPORT, event.pk]))
        period = client.post(
            reverse("reports:request", args=[PERIOD_REPORT, 0]), {"start": "2025-01-01", "end": "2025-12-31"}
        )

    assert (one.status_code, period.status_code) == (302, 302)
    jobs = ReportJob.objects.order_by("pk")
    assert [(j.kind, j.target_id, j.parameters) for j in jobs] == [
        (EVENT_REPORT, event.pk, {}),
        (PERIOD_REPORT, 0, {"start": "2025-01-01", "end": "2025-12-31", "by": "quarter"}),
    ]


def test_a_period_report_is_only_for_target_zero(client, world):
    client.force_login(world.trainer)

    response = client.post(
        reverse("reports:request", args=[PERIOD_REPORT, 7]), {"start": "2025-01-01", "end": "2025-12-31"}
    )

    assert response.status_code == 404
    assert ReportJob.objects.count() == 0


def test_an_event_report_of_an_unknown_event_is_not_found(client, world):
    client.force_login(world.trainer)

    assert client.post(reverse("reports:request", args=[EVENT_REPORT, 999_999])).status_code == 404
    assert ReportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"start": "2025-06-30", "end": "2025-01-01"}, "The period ends before it starts."),
        ({"start": "2025-01-01"}, "This field is required."),
        ({"start": "not a day", "end": "2025-01-01"}, "Enter a valid date."),
        ({"start": "2010-01-01", "end": "2025-01-01"}, "at most ten years"),
        ({"start": "2025-01-01", "end": "2025-02-01", "by": "week"}, "Select a valid choice."),
    ],
    ids=["end before start", "no end", "not a day", "too long", "unknown grouping"],
)
def test_a_period_that_makes_no_sense_is_refused_with_a_message_and_no_job(client, world, data, words):
    client.force_login(world.trainer)

    response = client.post(reverse("reports:request", args=[PERIOD_REPORT, 0]), data)

    assert response.status_code == 302
    assert [words in str(m) for m in get_messages(response.wsgi_request)] == [True]
    assert ReportJob.objects.count() == 0


def test_a_period_that_makes_no_sense_is_refused_in_place_for_htmx(client, world):
    client.force_login(world.trainer)

    response = client.post(
        reverse("reports:request", args=[PERIOD_REPORT, 0]), {"start": "2025-06-30", "end": "2025-01-01"},
        headers={"HX-Request": "true"},
    )  # fmt: skip

    assert response.status_code == 422
    assert "The period ends before it starts." in response.content.decode()
    assert ReportJob.objects.count() == 0


def test_a_bad_period_from_someone_without_results_is_not_found(client, world):
    client.force_login(world.specialist)

    response = client.post(reverse("reports:request", args=[PERIOD_REPORT, 0]), {"start": "x"})

    assert response.status_code == 404
    assert ReportJob.objects.count() == 0


# How numbers are printed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [(2.375, "2.4"), (2.96, "3.0"), (4.1, "4.1"), (8 / 3, "2.7"), (3.949999, "3.9"), (None, "—"), (10.0, "10.0")],
)
def test_an_average_is_rounded_to_one_decimal(value, shown):
    assert average(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [(0.96, "+1.0"), (-0.25, "\u22120.3"), (0.04, "0.0"), (-0.04, "0.0"), (None, "—")]
)
def test_a_change_is_rounded_with_its_sign(value, shown):
    assert signed(value) == shown


def test_an_item_that_moved_a_little_the_wrong_way_shows_it_to_two_decimals():
    assert (signed(-0.04, 2), average(3.666, 2)) == ("\u22120.04", "3.67")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0256, "p = 0.026"),
        (0.0004, "p < 0.001"),
        (None, "not tested"),
        # Three decimals would show these on the threshold they are under, beside their mark.
        (0.0496, "p = 0.0496"),
        (0.00996, "p = 0.00996"),
        (0.0504, "p = 0.050"),
    ],
)
def test_a_p_value_is_printed_to_three_decimals(value, shown):
    assert p_value(value) == shown


@pytest.mark.parametrize(
    ("comparison", "shown"),
    [
        (Comparison(5, 6, 2.0, 3.0, t=2.5, df=8.9, p=0.034), "p = 0.034"),
        (Comparison(1, 6, 2.0, 3.0, t=None, df=None, p=None), "too few to test"),
        (Comparison(6, 0, 2.0, None, t=None, df=None, p=None), "too few to test"),
        # Ten answered 3 before and ten 5 after: many answers, but no spread to weigh the change against.
        (Comparison(10, 10, 3.0, 5.0, t=None, df=None, p=None), "answers all alike: not tested"),
    ],
)
def test_a_comparison_shows_its_p_value_or_why_it_was_not_tested(comparison, shown):
    assert significance(comparison) == shown
