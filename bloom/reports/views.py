from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from bloom.forms import forms_context
from bloom.reports import dashboards, exports, funders, services, submissions
from bloom.reports.builders import BUILDERS
from bloom.reports.exports import FUNDER_LANGUAGE
from bloom.reports.forms import ProgramReportForm
from bloom.reports.models import ReportJob
from bloom.reports.program_builders import program_label
from bloom.reports.queries import jobs_for
from bloom.said import Said


@login_required
@require_POST
def request_report(request, kind, target_id):
    builder = BUILDERS.get(kind)
    if builder is None:
        raise Http404
    # One transaction: no report about a survivor is built unless its print is in the access log.
    try:
        parameters = _parameters(request, builder, target_id)
        job, _subject = services.request_logged(request, kind=kind, target_id=target_id, parameters=parameters)
    except services.AlreadyAsked as asked:
        # Nothing new was asked for, so nothing is queued or logged: the first request stands.
        message = _("This report is already being prepared. It is the one shown here: wait for it to be ready.")
        if request.htmx:
            return render(request, "reports/_job.html", {"job": asked.job, "already_asked": message})
        messages.info(request, message)
        return redirect("reports:job", public_id=asked.job.public_id)
    except ValidationError as refused:
        # Parameters that make no sense, or that this person may not ask for on this subject.
        return _not_queued(request, " ".join(refused.messages), back="home", status=422)
    except services.NothingToPrint as nothing:
        # Nothing was printed, so nothing is queued or logged; say what to do instead.
        return _not_queued(request, nothing.message, back=nothing.subject)
    if request.htmx:
        return render(request, "reports/_job.html", {"job": job})
    return redirect("reports:job", public_id=job.public_id)


def _parameters(request, builder, target_id: int) -> dict | None:
    """The report's parameters read from the POST; a refusal is raised only to someone who may
    have the report (anyone else gets the 404 first)."""
    if not builder.read_parameters:
        return None
    try:
        return builder.read_parameters(request.POST)
    except ValidationError:
        builder.authorize(request.user, target_id)
        raise


def _not_queued(request, message: str, *, back, status: int = 200):
    """Say why nothing was queued: in the page's status area (htmx), or on the page at ``back``."""
    if request.htmx:
        return render(request, "reports/_job.html", {"job": None, "nothing_to_print": message}, status=status)
    messages.error(request, message)
    return redirect(back)


@login_required
@require_safe
def job_status(request, public_id):
    job = get_object_or_404(jobs_for(request.user), public_id=public_id)
    template = "reports/_job.html" if request.htmx else "reports/job.html"
    return render(request, template, {"job": job})


@login_required
@require_safe
def download(request, public_id):
    """Serve a finished report to the person who asked for it, if they may still see its subject."""
    job = get_object_or_404(jobs_for(request.user), public_id=public_id, status=ReportJob.Status.DONE)
    # An export handed over at once (a CSV, a workbook) is a finished job with no file, and one of
    # the dashboard's has no builder at all: neither has anything to download here.
    builder = BUILDERS.get(job.kind)
    if builder is None:
        raise Http404
    subject = builder.authorize(request.user, job.target_id)
    if not job.file:
        raise Http404
    if builder.logged:
        target = job if builder.log_job else subject
        log_access(
            request,
            target=target,
            label=builder.label(target),
            action=AccessLogEntry.Action.DOWNLOAD,
            reason=builder.reason(job.parameters),
        )
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type="application/pdf")


@login_required
@require_safe
def home(request):
    return render(request, "reports/home.html", {"sections": dashboards.home_sections(request.user)})


# Funder and program reports: counts over every case, for those who may produce them -------------


def _definition(request, kind: str) -> funders.Definition:
    if not submissions.may_produce(request.user):
        raise PermissionDenied
    definition = funders.DEFINITIONS.get(kind)
    if definition is None:
        raise Http404
    return definition


@login_required
@require_safe
def program_reports(request):
    if not submissions.may_produce(request.user):
        raise PermissionDenied
    latest = submissions.latest_submissions(request.user)
    rows = [(definition, latest.get(kind)) for kind, definition in funders.DEFINITIONS.items()]
    return render(request, "reports/program_reports.html", {"rows": rows})


@login_required
@require_safe
def program_report(request, kind):
    """One report for a period, with its downloads and what changed since it was submitted."""
    definition = _definition(request, kind)
    return _report_page(request, definition, _period_asked(request, kind), logged=True)


def _period_asked(request, kind: str) -> ProgramReportForm:
    """The period in the query, or the report's last complete period when none was asked for."""
    if "start" in request.GET:
        return ProgramReportForm(request.GET, kind=kind)
    return ProgramReportForm.for_period(funders.suggested_period(kind, timezone.localdate()), kind=kind)


def _report_page(
    request, definition: funders.Definition, form: ProgramReportForm, *, status: int = 200, logged: bool = False
):
    """The report page; with ``logged``, producing it on screen goes to the access log as an export.

    A period refused by the form is answered 400, with the messages beside what was typed.
    """
    context = {"definition": definition, "form": form, **forms_context(form)}
    if not form.is_valid():
        status = 400
    else:
        report = definition.build(form.period(), form.award())
        parameters = form.parameters()
        if logged:
            log_export(request, definition.kind, {**parameters, "format": "page"}, filename="")
        history = list(
            submissions.submissions_of(request.user, kind=definition.kind, period=report.period, fund=form.award())
        )
        context |= {
            "report": report,
            "tables": exports.shown_tables(report),
            "period": exports.period_words(report.period),
            "award": exports.award_words(form.award()),
            "parameters": parameters,
            "query": form.query(),
            "submissions": history,
            "changes": submissions.changes_since(history[0], report) if history else None,
            "job": services.latest_job(request.user, kind=definition.kind, target_id=0, parameters=parameters),
        }
    return render(request, "reports/program_report.html", context, status=status)


@login_required
@require_safe
def program_export(request, kind, fmt):
    """The report as CSV or XLSX (for the period asked, as on the page), written to the access log."""
    definition = _definition(request, kind)
    if fmt not in exports.FORMATS:
        raise Http404
    form = _period_asked(request, kind)
    if not form.is_valid():
        return _report_page(request, definition, form, status=400)
    # The file goes to the funder, in the funder's language; the page is in the reader's.
    with translation.override(FUNDER_LANGUAGE):
        report = definition.build(form.period(), form.award())
        write, content_type = exports.FORMATS[fmt]
        name = exports.filename(report, form.award(), fmt)
        content = write(report, form.award())
    log_export(request, kind, {**form.parameters(), "format": fmt}, filename=name)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def log_export(request, kind: str, parameters: dict, *, filename: str) -> None:
    """Record a report produced for ``request.user`` (on screen or as a file) in the access log."""
    fmt = parameters["format"]
    with transaction.atomic():
        job = services.record_export(by=request.user, kind=kind, parameters=parameters, filename=filename)
        log_access(
            request,
            target=job,
            label=program_label(job),
            action=AccessLogEntry.Action.EXPORT,
            reason=Said("log.shown") if fmt == "page" else Said("log.export", format=fmt),
        )


@login_required
@require_POST
def program_submit(request, kind):
    """Keep the report's figures as submitted today; the page then compares later runs with them."""
    definition = _definition(request, kind)
    form = ProgramReportForm(request.POST, kind=kind)
    if not form.is_valid():
        return _report_page(request, definition, form)
    report = definition.build(form.period(), form.award())
    submission = submissions.submit_report(report, fund=form.award(), by=request.user)
    messages.success(
        request,
        _("Marked as submitted on %(day)s. Its figures are kept to compare with later.")
        % {"day": date_format(timezone.localtime(submission.submitted_at), "DATE_FORMAT")},
    )
    return redirect(f"{reverse('reports:program_report', args=[kind])}?{form.query()}")
