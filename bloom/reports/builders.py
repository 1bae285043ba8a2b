"""What each kind of report is: who may ask for it, and how it is built.

``bloom.reports`` is the one platform app allowed to read the program modules, and
only through their permission and query functions.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import User
from bloom.reports import exports, funders, printouts, submissions
from bloom.reports.forms import ProgramReportForm
from bloom.reports.models import ReportJob
from bloom.reports.pdf import render_pdf
from cases import permissions as case_permissions


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
    # The access log names the job itself, labelled ``label(job)``, instead of the subject: a
    # report over every case has no one record behind it.
    log_job: bool = False
    # Asked again by the same person with the same parameters while the first is still being
    # prepared, the first is given back instead of a second (``services.AlreadyAsked``).
    one_at_a_time: bool = False


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


# Funder and program reports -------------------------------------------------------------------


def authorize_program_report(kind: str, user: User, target_id: int) -> funders.Definition:
    """The report's definition if ``user`` may produce program reports, else Http404.

    Its subject is a period over every case, not a record: the target is always 0.
    """
    if target_id != 0 or not submissions.may_produce(user):
        raise Http404
    return funders.DEFINITIONS[kind]


def program_parameters(kind: str, data) -> dict:
    """The period and award in a request's ``data``, checked by the report page's own form."""
    form = ProgramReportForm(data, kind=kind)
    if not form.is_valid():
        raise ValidationError([message for errors in form.errors.values() for message in errors])
    return form.parameters()


def program_label(job: ReportJob) -> str:
    """The access log's label: the kind and the period, nothing that names a survivor or a case."""
    return f"{job.kind} {job.parameters['start']} to {job.parameters['end']}"


def build_program_report(
    definition: funders.Definition, *, requested_by: User, progress: Callable[[int], None], parameters: dict
) -> tuple[str, bytes]:
    # ``requested_by`` is not printed: the report names no one (who asked is in the access log).
    # The period and award are read again through the form, as in the request: an award may have
    # gone since.
    form = ProgramReportForm(parameters, kind=definition.kind)
    if not form.is_valid():
        raise ValueError(f"Parameters no longer valid: {form.errors.as_json()}")
    progress(20)
    report = definition.build(form.period(), form.award())
    progress(50)
    pdf = exports.as_pdf(report, form.award())
    progress(90)
    return exports.filename(report, form.award(), "pdf"), pdf


def program_builder(definition: funders.Definition) -> Builder:
    return Builder(
        kind=definition.kind,
        title=definition.title,
        authorize=partial(authorize_program_report, definition.kind),
        label=program_label,
        build=build_program_report,
        read_parameters=partial(program_parameters, definition.kind),
        log_job=True,
        one_at_a_time=True,
    )


# Every kind of report, by its ``kind``: filled by ``register`` as the apps start.
BUILDERS: dict[str, Builder] = {}


def register(builder: Builder) -> None:
    """Make ``builder`` a kind of report. Each app registers its own from ``AppConfig.ready``,
    so that this module never imports a program module: they import it."""
    if builder.kind in BUILDERS and BUILDERS[builder.kind] != builder:
        raise ValueError(f"Two reports of kind {builder.kind!r}")
    BUILDERS[builder.kind] = builder


def register_platform_builders() -> None:
    """The reports this app builds itself: the face sheet, the survivor's printouts and the funder reports."""
    register(
        Builder(
            kind="case_face_sheet",
            title=_("Case face sheet"),
            authorize=case_permissions.get_case_for,
            label=lambda case: case.survivor.client_code,
            build=_build_face_sheet,
        )
    )
    register(
        Builder(
            kind=printouts.CASE_PLAN,
            title=_("Case plan for the survivor"),
            authorize=printouts.authorize_case_plan,
            label=printouts.label,
            build=printouts.build_case_plan,
            nothing_to_print=printouts.case_plan_missing,
        )
    )
    register(
        Builder(
            kind=printouts.SAFETY_PLAN,
            title=_("Safety plan for the survivor"),
            authorize=printouts.authorize_safety_plan,
            label=printouts.label,
            build=printouts.build_safety_plan,
            nothing_to_print=printouts.safety_plan_missing,
        )
    )
    for definition in funders.DEFINITIONS.values():
        register(program_builder(definition))
