"""The funder and state reports as kinds of report: over every case for a period, never one survivor.

They read the program modules (through ``bloom.reports.funders`` and ``submissions``), so they
are kept out of ``bloom.reports.builders``, the registry that the program apps import to
register their own printouts (docs/ARCHITECTURE.md, "Layers").
"""

from collections.abc import Callable
from functools import partial

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from bloom.accounts.models import User
from bloom.reports import exports, funders, submissions
from bloom.reports.builders import Builder
from bloom.reports.exports import FUNDER_LANGUAGE
from bloom.reports.forms import ProgramReportForm
from bloom.reports.models import ReportJob


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
    # The file goes to the funder, in the funder's language, whatever the asker reads Bloom in.
    with translation.override(FUNDER_LANGUAGE):
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
