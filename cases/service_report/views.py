"""The pages that ask for a service report: one case's, and one team's for its supervisors.

Each page's form posts to itself: a refused answer is shown beside its field with everything
typed kept; an accepted one queues the PDF (and writes the print to the access log, in the
same transaction), then comes back to the page with the answers in its address, where the
job is shown until it is ready. For an organization the page says, as soon as it is chosen,
whether the survivor's name may be printed, and why not.
"""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bloom.directory.models import Organization
from bloom.forms import forms_context
from bloom.reports import services as report_services
from bloom.reports.queries import latest_job_for
from cases import permissions
from cases.service_report.forms import (
    Audience,
    ServiceReportForm,
    TeamServiceReportForm,
    default_start,
    without_notes_outside,
)
from cases.service_report.printing import (
    CASE_KIND,
    TEAM_KIND,
    authorize_team,
    may_include_notes_for_team,
    nothing_in_period,
    team_cases,
)
from cases.service_report.subjects import withheld_from
from cases.views.pages import case_page


@login_required
@require_http_methods(["GET", "POST"])
def service_report(request, pk):
    case = permissions.get_case_for(request.user, pk)
    here = reverse("cases:service_report", args=[case.pk])
    may_include_notes = permissions.can_see_sensitive(request.user, case)
    if request.htmx and request.method == "GET" and "organization" in request.GET:
        # Whom it is for was just chosen: whether a release lets the survivor be named to them.
        return render(request, "cases/service_report.html#release", {"withheld": _withheld(case, request.GET)})
    if request.method == "POST":
        form = ServiceReportForm(request.POST, case=case, may_include_notes=may_include_notes, notice_url=here)
        if form.is_valid():
            return _queue(request, CASE_KIND, case.pk, form.parameters(), back=here)
    else:
        form = _asked_before(
            ServiceReportForm,
            request.GET,
            default_start(timezone.localdate(), opened_on=case.opened_on),
            case=case,
            may_include_notes=may_include_notes,
            notice_url=here,
        )
    job = latest_job_for(request.user, kind=CASE_KIND, target_id=case.pk)
    context = {
        "form": form,
        **forms_context(form),
        "withheld": form.withheld,
        "job": job,
        "job_asked": job and asked_for(job.parameters),
    }
    return case_page(request, case, "cases/service_report.html", context)


def asked_for(parameters: dict) -> str:
    """What a report was asked for, in words: whom, the period, and notes when they are printed."""
    audience = parameters.get("audience", Audience.INTERNAL)
    parameters = without_notes_outside({**parameters, "audience": audience})
    whom = Audience(audience).label if audience in Audience.values else ""
    if audience == Audience.ORGANIZATION:
        organization = Organization.objects.filter(pk=_int(str(parameters.get("organization")))).first()
        whom = organization.name if organization else whom
    try:
        start, end = (date.fromisoformat(parameters[name]) for name in ("start", "end"))
    except (KeyError, TypeError, ValueError):
        return str(whom)
    words = _("%(whom)s, from %(start)s to %(end)s") % {
        "whom": whom,
        "start": date_format(start, "DATE_FORMAT"),
        "end": date_format(end, "DATE_FORMAT"),
    }
    return words + (_(", with notes") if parameters.get("notes") else "")


def _withheld(case, query) -> str | None:
    """Why the organization chosen in ``query`` may not be told who the survivor is, if it is for one."""
    if query.get("audience") != Audience.ORGANIZATION:
        return None
    organization = Organization.objects.filter(is_active=True, pk=_int(query.get("organization"))).first()
    return withheld_from(case, organization, on=timezone.localdate()) if organization else None


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10 else None


@login_required
@require_http_methods(["GET", "POST"])
def team_service_report(request, team_pk):
    team = authorize_team(request.user, team_pk)
    here = reverse("cases:team_service_report", args=[team.pk])
    may_include_notes = may_include_notes_for_team(request.user)
    if request.method == "POST":
        form = TeamServiceReportForm(request.POST, may_include_notes=may_include_notes)
        if form.is_valid():
            asked = form.cleaned_data
            if team_cases(request.user, team, start=asked["start"], end=asked["end"]).exists():
                return _queue(request, TEAM_KIND, team.pk, form.parameters(), back=here)
            form.add_error(None, nothing_in_period())
    else:
        form = _asked_before(
            TeamServiceReportForm,
            request.GET,
            default_start(timezone.localdate()),
            may_include_notes=may_include_notes,
        )
    job = latest_job_for(request.user, kind=TEAM_KIND, target_id=team.pk)
    context = {
        "team": team,
        "form": form,
        **forms_context(form),
        "job": job,
        "job_asked": job and asked_for(job.parameters),
    }
    return render(request, "cases/service_report_team.html", context)


def _asked_before(form_class, query, start, **kwargs):
    """The form as last asked (its answers are in the page's address after asking), else with the
    period from ``start`` to today. An address edited into nonsense gives the plain form."""
    if "start" in query:
        asked = form_class(query, **kwargs)
        if asked.is_valid():
            form = form_class(initial=asked.parameters(), **kwargs)
            form.withheld = getattr(asked, "withheld", None)
            return form
    form = form_class(initial=form_class.default_period(start=start, today=timezone.localdate()), **kwargs)
    form.withheld = None
    return form


def _queue(request, kind: str, target_id: int, parameters: dict, *, back: str):
    """Queue the report and write its print to the access log (one transaction), then go ``back``."""
    try:
        report_services.request_logged(request, kind=kind, target_id=target_id, parameters=parameters)
    except report_services.AlreadyAsked:
        # Nothing new was asked for, so nothing is queued or logged: the first request stands.
        messages.info(request, _("This report is already being prepared. It is the one shown here."))
    except ValidationError as refused:
        # The page's form refuses the same first; this is what the builder itself checks.
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("The report is being prepared. It is shown here when it is ready."))
    query = {**parameters, "notes": "on" if parameters["notes"] else ""}
    return redirect(f"{back}?{urlencode(query)}")
