"""What each kind of report is: who may ask for it, and how it is built.

``bloom.reports`` is the one platform app allowed to read the program modules, and
only through their permission and query functions.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import User
from bloom.reports import printouts
from bloom.reports.pdf import render_pdf
from cases import permissions as case_permissions
from training import reports as training_reports


@dataclass(frozen=True)
class Builder:
    kind: str
    title: Any
    # Returns the report's subject if ``user`` may have the report, else raises Http404.
    authorize: Callable[[User, int], Any]
    # A label for the access log that does not identify the survivor.
    label: Callable[[Any], str]
    # Returns (filename, PDF bytes); calls ``progress(percent)`` as it goes.
    build: Callable[..., tuple[str, bytes]]
    # Says why there is nothing to print for the subject (the request is then refused
    # with that message, nothing is queued, and a plain POST goes back to the subject's
    # get_absolute_url()), or returns None.
    nothing_to_print: Callable[[Any], str | None] | None = None
    # Reads the report's parameters from the request's POST data (raising ValidationError
    # with a message for the reader); the build then gets them as ``parameters``.
    read_parameters: Callable[[Any], dict] | None = None
    # Whether asking for it and downloading it go to the access log: every report about a
    # survivor does. Training's evaluation is aggregate counts and scores of anonymous
    # surveys, with no record behind it to log.
    logged: bool = True


def _build_face_sheet(case, *, requested_by: User, progress: Callable[[int], None]) -> tuple[str, bytes]:
    context = {
        "case": case,
        "survivor": case.survivor,
        "specialists": list(case.specialists.order_by("full_name")),
        "generated_at": timezone.localtime(),
        "generated_by": requested_by,
    }
    progress(40)
    pdf = render_pdf("reports/case_face_sheet.html", context)
    progress(90)
    return f"face-sheet-{case.survivor.client_code}.pdf", pdf


BUILDERS = {
    builder.kind: builder
    for builder in [
        Builder(
            kind="case_face_sheet",
            title=_("Case face sheet"),
            authorize=case_permissions.get_case_for,
            label=lambda case: case.survivor.client_code,
            build=_build_face_sheet,
        ),
        Builder(
            kind=printouts.CASE_PLAN,
            title=_("Case plan for the survivor"),
            authorize=printouts.authorize_case_plan,
            label=printouts.label,
            build=printouts.build_case_plan,
            nothing_to_print=printouts.case_plan_missing,
        ),
        Builder(
            kind=printouts.SAFETY_PLAN,
            title=_("Safety plan for the survivor"),
            authorize=printouts.authorize_safety_plan,
            label=printouts.label,
            build=printouts.build_safety_plan,
            nothing_to_print=printouts.safety_plan_missing,
        ),
        Builder(
            kind="training_event_evaluation",
            title=_("Training evaluation for an event"),
            authorize=training_reports.authorize_event,
            label=str,
            build=training_reports.event_report,
            logged=False,
        ),
        Builder(
            kind="training_evaluation",
            title=_("Training evaluation over a period"),
            authorize=training_reports.authorize_period,
            label=lambda _events: "training",
            build=training_reports.period_report,
            read_parameters=training_reports.period_parameters,
            logged=False,
        ),
    ]
}
