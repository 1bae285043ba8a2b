"""Outreach pages: sessions (logged on a phone), hand-offs to intake, volunteers, partnership
activities, a volunteer's own page, and the dashboard with its CSV.

Every read goes through ``outreach.access``: a record out of sight is a 404, one in sight that
the reader may not change a 403. Nothing here reads a survivor record.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bloom.access import require
from bloom.forms import csv_cell, forms_context, show_refusal
from bloom.vocabulary import VenueType
from outreach import access, charts, queries, services
from outreach.forms import DashboardForm, HandOffForm, PartnershipForm, SessionForm, TrainingForm, VolunteerForm
from outreach.models import Volunteer

PAGE_SIZE = 25


# --- sessions -------------------------------------------------------------------------------


@login_required
@require_safe
def home(request):
    """The outreach worker's list of sessions; a volunteer goes to their own page."""
    if not access.holds(request.user, access.SEE_SESSIONS):
        if access.own_volunteer(request.user) is not None:
            return redirect("outreach:mine")
        raise PermissionDenied
    sessions = queries.with_team(access.visible_sessions(request.user)).order_by("-starts_at", "-pk")
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "upcoming": list(queries.with_team(queries.upcoming(access.visible_sessions(request.user)))[:5]),
        "may_log": access.holds(request.user, access.LOG_SESSIONS),
        "now": timezone.now(),
    }
    return render(request, "outreach/home.html", context)


def _session_form_page(request, form, session=None, status=200):
    context = {"form": form, "session": session, "draft_key": f"session-{session.pk if session else 'new'}"}
    return render(request, "outreach/session_form.html", {**context, **forms_context(form)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request):
    require(access.holds(request.user, access.LOG_SESSIONS))
    form = SessionForm(request.POST or None, initial={"lead": request.user, "day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.log_session(by=request.user, details=form.details())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Session logged."))
            return redirect(f"{session_url(session)}?saved=session-new")
    return _session_form_page(request, form)


def session_url(session) -> str:
    return reverse("outreach:session", args=[session.pk])


@login_required
@require_safe
def session_detail(request, pk):
    session = access.get_session_for(request.user, pk)
    context = {
        "session": session,
        "volunteers": list(session.volunteers.all()),
        "venue_labels": [VenueType(v).label for v in session.venue_types if v in VenueType.values],
        "handoffs": list(session.handoffs.select_related("passed_by")),
        "may_change": access.holds(request.user, access.CHANGE_SESSIONS),
        "may_hand_off": access.holds(request.user, access.PASS_TO_INTAKE) and session.starts_at <= timezone.now(),
        "saved_draft": request.GET.get("saved", ""),
    }
    return render(request, "outreach/session_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = access.get_session_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_SESSIONS))
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session), session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_session(session, by=request.user, details=form.details())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect(f"{session_url(session)}?saved=session-{session.pk}")
    return _session_form_page(request, form, session)


@login_required
@require_http_methods(["GET", "POST"])
def hand_off(request, pk):
    """Pass a person's request for help to intake; afterwards only the fact of it stays here."""
    session = access.get_session_for(request.user, pk)
    require(access.holds(request.user, access.PASS_TO_INTAKE))
    form = HandOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hand_off(session, by=request.user, request=form.request_for_help())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Passed to the intake of %(team)s. They will reach out as the person asked.")
                % {"team": form.cleaned_data["team"].name},
            )
            return redirect("outreach:session", pk=session.pk)
    context = {"form": form, "session": session, **forms_context(form)}
    return render(request, "outreach/handoff_form.html", context)


# --- a volunteer's own page -----------------------------------------------------------------


@login_required
@require_safe
def mine(request):
    volunteer = access.own_volunteer(request.user)
    if volunteer is None:
        raise PermissionDenied
    sessions = queries.with_team(access.visible_sessions(request.user)).order_by("-starts_at", "-pk")
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"volunteer": volunteer, "hours": queries.hours_of(volunteer), "page": page, "now": timezone.now()}
    return render(request, "outreach/mine.html", context)


# --- volunteers -----------------------------------------------------------------------------


@login_required
@require_safe
def volunteer_list(request):
    require(access.holds(request.user, access.SEE_VOLUNTEERS))
    status = request.GET.get("status", "")
    volunteers = queries.with_hours(access.visible_volunteers(request.user)).order_by("full_name", "pk")
    if status in Volunteer.Status.values:
        volunteers = volunteers.filter(status=status)
    page = Paginator(volunteers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Volunteer.Status.choices,
        "query": f"status={status}" if status else "",
        "may_add": access.holds(request.user, access.ADD_VOLUNTEERS),
    }
    return render(request, "outreach/volunteer_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_new(request):
    require(access.holds(request.user, access.ADD_VOLUNTEERS))
    form = VolunteerForm(request.POST or None, initial={"applied_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.save_volunteer(
                None, by=request.user, details=form.details(), account=form.cleaned_data["user"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Volunteer %(name)s recorded.") % {"name": volunteer.full_name})
            return redirect("outreach:volunteer", pk=volunteer.pk)
    return render(request, "outreach/volunteer_form.html", {"form": form, **forms_context(form)})


def _volunteer_page(request, volunteer, training_form, status=200):
    sessions = queries.with_team(volunteer.sessions.all()).order_by("-starts_at", "-pk")
    context = {
        "volunteer": volunteer,
        "hours": queries.hours_of(volunteer),
        "sessions": list(sessions[:PAGE_SIZE]),
        "session_count": volunteer.sessions.count(),
        "trainings": list(volunteer.trainings.all()),
        "training_form": training_form,
        "may_change": access.holds(request.user, access.CHANGE_VOLUNTEERS),
        "now": timezone.now(),
        **forms_context(training_form),
    }
    return render(request, "outreach/volunteer_detail.html", context, status=status)


@login_required
@require_safe
def volunteer_detail(request, pk):
    volunteer = access.get_volunteer_for(request.user, pk)
    return _volunteer_page(request, volunteer, TrainingForm())


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_edit(request, pk):
    volunteer = access.get_volunteer_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_VOLUNTEERS))
    form = VolunteerForm(request.POST or None, initial=VolunteerForm.initial_for(volunteer), volunteer=volunteer)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_volunteer(
                volunteer, by=request.user, details=form.details(), account=form.cleaned_data["user"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Volunteer saved."))
            return redirect("outreach:volunteer", pk=volunteer.pk)
    context = {"form": form, "volunteer": volunteer, **forms_context(form)}
    return render(request, "outreach/volunteer_form.html", context)


@login_required
@require_POST
def training_add(request, pk):
    volunteer = access.get_volunteer_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_VOLUNTEERS))
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.add_training(volunteer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("outreach:volunteer", pk=volunteer.pk)
    return _volunteer_page(request, volunteer, form, status=400)


# --- partnerships ---------------------------------------------------------------------------


@login_required
@require_safe
def partnership_list(request):
    require(access.holds(request.user, access.SEE_PARTNERSHIPS))
    activities = access.visible_partnerships(request.user).select_related("organization", "recorded_by")
    page = Paginator(activities.order_by("-on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "may_add": access.holds(request.user, access.ADD_PARTNERSHIPS),
        "may_change": access.holds(request.user, access.CHANGE_PARTNERSHIPS),
    }
    return render(request, "outreach/partnership_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_new(request):
    require(access.holds(request.user, access.ADD_PARTNERSHIPS))
    form = PartnershipForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_partnership(None, by=request.user, details=form.details())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Partnership activity recorded."))
            return redirect("outreach:partnerships")
    return render(request, "outreach/partnership_form.html", {"form": form, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request, pk):
    activity = access.get_partnership_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_PARTNERSHIPS))
    form = PartnershipForm(request.POST or None, initial=PartnershipForm.initial_for(activity), activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_partnership(activity, by=request.user, details=form.details())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Partnership activity saved."))
            return redirect("outreach:partnerships")
    context = {"form": form, "activity": activity, **forms_context(form)}
    return render(request, "outreach/partnership_form.html", context)


# --- the dashboard --------------------------------------------------------------------------


def _filter(request) -> DashboardForm:
    if {"start", "end"} & set(request.GET):
        return DashboardForm(request.GET)
    return DashboardForm.default(timezone.localdate())


def _figures(request, form: DashboardForm) -> queries.Dashboard:
    sessions = form.sessions(access.visible_sessions(request.user))
    return queries.dashboard(sessions, venue=form.cleaned_data.get("venue", ""))


def _query(form: DashboardForm) -> str:
    """The filter as a query string, for the CSV links."""
    data = form.cleaned_data
    return urlencode({
        "start": data["start"].isoformat(),
        "end": data["end"].isoformat(),
        "town": data["town"].pk if data.get("town") else "",
        "venue": data.get("venue", ""),
    })  # fmt: skip


@login_required
@require_safe
def dashboard(request):
    require(access.holds(request.user, access.SEE_DASHBOARD))
    form = _filter(request)
    if not form.is_valid():
        return render(request, "outreach/dashboard.html", {"form": form, **forms_context(form)}, status=400)
    figures = _figures(request, form)
    context = {
        "form": form,
        "figures": figures,
        "query": _query(form),
        "charts": charts.dashboard_charts(figures),
        **forms_context(form),
    }
    return render(request, "outreach/dashboard.html", context)


CSV_HEADER = [
    "group", "sessions", "volunteer_hours", "people_contacted", "hotline_cards", "hygiene_kits", "food",
    "resource_sheets", "materials", "possibly_identified", "handoffs_to_intake", "safety_incidents",
]  # fmt: skip
CSV_GROUPS = ("month", "town", "venue")


@login_required
@require_safe
def dashboard_csv(request):
    """The dashboard's table by month, town or kind of venue, with the total last."""
    require(access.holds(request.user, access.SEE_DASHBOARD))
    form = _filter(request)
    by = request.GET.get("by", "month")
    if not form.is_valid() or by not in CSV_GROUPS:
        if by not in CSV_GROUPS:
            form.is_valid()
            form.add_error(None, _("Choose to export by month, town or kind of venue."))
        return render(request, "outreach/dashboard.html", {"form": form, **forms_context(form)}, status=400)
    figures = _figures(request, form)
    rows = {"month": figures.by_month, "town": figures.by_town, "venue": figures.by_venue}[by]
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"outreach-by-{by}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
    )
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for group in rows:
        label = group.extra["month"].strftime("%Y-%m") if by == "month" else group.label
        writer.writerow([csv_cell(label), *group.values()])
    writer.writerow(["total", *figures.total.values()])
    return response
