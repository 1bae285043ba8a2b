"""Restricting a case, emergency access to a case outside one's caseload, and the timeline."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from cases import permissions, queries, services, timeline
from cases.forms import EmergencyAccessForm, RestrictionForm, TimelineFilterForm
from cases.views.pages import case_page, detail_context, forms_context


@login_required
@require_http_methods(["GET", "POST"])
def restriction(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.ASSIGN)
    perms = case.perms
    if permissions.RESTRICT not in perms:
        raise PermissionDenied
    form = RestrictionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_restriction(
                case,
                by=request.user,
                restricted=form.cleaned_data["restricted"],
                named=list(form.cleaned_data["named"]),
            )
        except services.AccessError as error:
            form.add_error(None, error)
        else:
            if not form.cleaned_data["restricted"]:
                messages.success(request, _("The restriction is lifted: the team sees the case again."))
                return redirect(case)
            messages.success(request, _("The case is restricted to the people named on it."))
            # The person who restricted it may not be named, and so no longer see it.
            if permissions.visible_cases(request.user).filter(pk=case.pk).exists():
                return redirect(case)
            return redirect("cases:list")
    context = {"form": form, "specialists": case.specialists.order_by("full_name"), **forms_context(form)}
    return case_page(request, case, "cases/restriction_form.html", context, perms)


@login_required
@require_http_methods(["GET", "POST"])
def emergency_access(request):
    """Open a case outside one's caseload in a crisis: a client code, a reason, a time limit."""
    if not permissions.may_open_in_emergency(request.user):
        raise PermissionDenied
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = permissions.case_for_emergency(request.user, form.cleaned_data["client_code"])
        if case is None:
            # The same answer for an unknown code and a restricted case: nothing is revealed.
            form.add_error("client_code", _("No case that can be opened this way has this client code."))
        elif permissions.can(request.user, permissions.VIEW, case):
            messages.info(request, _("This case is already open to you; no emergency access was needed."))
            return redirect(case)
        else:
            try:
                # The grant stands only if its access-log entry is written too.
                with transaction.atomic():
                    grant = services.open_in_emergency(case, by=request.user, reason=form.cleaned_data["reason"])
                    log_access(
                        request,
                        target=case,
                        label=case.survivor.client_code,
                        action=AccessLogEntry.Action.EMERGENCY,
                        reason=grant.reason,
                    )
            except services.AccessError as error:
                form.add_error(None, error)
            else:
                messages.warning(
                    request,
                    _("You have emergency access until %(time)s; the case's supervisors have been told.")
                    % {"time": time_format(timezone.localtime(grant.expires_at))},
                )
                return redirect(case)
    return render(request, "cases/emergency_access.html", {"form": form, **forms_context(form)})


@login_required
@require_safe
def case_timeline(request, pk):
    case = permissions.get_case_for(request.user, pk)
    perms = case.perms
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    form = TimelineFilterForm(request.GET or None)
    kinds = form.cleaned_data["kind"] if form.is_valid() else []
    page, entries = timeline.timeline_page(case, kinds=kinds, number=request.GET.get("page"))
    # The services given on the page's contacts, in one query for them all.
    prefetch_related_objects([entry.item for entry in entries if entry.kind == "contact"], queries.services_given())
    context = {
        **detail_context(case, "timeline", perms),
        "form": form,
        "page": page,
        "entries": entries,
        "query": urlencode([("kind", kind) for kind in kinds]),
    }
    if request.htmx:
        return render(request, "cases/timeline.html#results", context)
    return render(request, "cases/timeline.html", context)
