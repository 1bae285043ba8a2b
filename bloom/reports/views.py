from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from bloom.reports import dashboards, services
from bloom.reports.builders import BUILDERS
from bloom.reports.models import ReportJob
from bloom.reports.queries import jobs_for


@login_required
@require_POST
def request_report(request, kind, target_id):
    builder = BUILDERS.get(kind)
    if builder is None:
        raise Http404
    parameters = None
    if builder.read_parameters:
        try:
            parameters = builder.read_parameters(request.POST)
        except ValidationError as error:
            builder.authorize(request.user, target_id)  # a reader who may not have it gets a 404 first
            message = " ".join(error.messages)
            if request.htmx:
                return render(request, "reports/_job.html", {"job": None, "nothing_to_print": message}, status=422)
            messages.error(request, message)
            return redirect("home")
    # One transaction: no report about a survivor is built unless its print is in the access log.
    try:
        with transaction.atomic():
            job, subject = services.request_report(
                by=request.user, kind=kind, target_id=target_id, parameters=parameters
            )
            if builder.logged:
                log_access(request, target=subject, label=builder.label(subject), action=AccessLogEntry.Action.PRINT)
    except services.NothingToPrint as nothing:
        # Nothing was printed, so nothing is queued or logged; say what to do instead.
        if request.htmx:
            return render(request, "reports/_job.html", {"job": None, "nothing_to_print": nothing.message})
        messages.error(request, nothing.message)
        return redirect(nothing.subject)
    if request.htmx:
        return render(request, "reports/_job.html", {"job": job})
    return redirect("reports:job", public_id=job.public_id)


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
    builder = BUILDERS[job.kind]
    subject = builder.authorize(request.user, job.target_id)
    if not job.file:
        raise Http404
    if builder.logged:
        log_access(request, target=subject, label=builder.label(subject), action=AccessLogEntry.Action.DOWNLOAD)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type="application/pdf")


@login_required
@require_safe
def home(request):
    return render(request, "reports/home.html", {"sections": dashboards.home_sections(request.user)})
