"""The intake queue of requests for help passed on from outreach: the list, one request, and
starting an intake from it or closing it without one.

Reads go through ``cases.permissions`` (a request outside the reader's queues is a 404) and
opening a request writes the access log, as opening a case does: it is survivor data.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from bloom.forms import forms_context, show_refusal
from bloom.vocabulary import HelpNeed
from cases import permissions, services
from cases.forms import CloseRequestForm

PAGE_SIZE = 25


@login_required
@require_safe
def intake_requests(request):
    if not permissions.can_open_cases(request.user):
        raise PermissionDenied
    waiting = permissions.intake_requests_for(request.user).select_related("team", "passed_by")
    page = Paginator(waiting.order_by("passed_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/intake_requests.html", {"page": page})


def _request_page(request, row, close_form, status=200):
    context = {
        "row": row,
        "needs": [HelpNeed(need).label for need in row.needs if need in HelpNeed.values],
        "close_form": close_form,
        **forms_context(close_form),
    }
    return render(request, "cases/intake_request.html", context, status=status)


@login_required
@require_safe
def intake_request(request, pk):
    row = permissions.get_intake_request_for(request.user, pk)
    log_access(request, target=row, label=f"request for help #{row.pk}", action=AccessLogEntry.Action.VIEW)
    return _request_page(request, row, CloseRequestForm())


@login_required
@require_POST
def intake_request_start(request, pk):
    row = permissions.get_intake_request_for(request.user, pk)
    try:
        case = services.start_intake_from(row, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:intake_requests")
    messages.success(
        request,
        _("Intake started for %(code)s with what they shared. Add what you learn when you reach them.")
        % {"code": case.survivor.client_code},
    )
    return redirect("cases:edit", pk=case.pk)


@login_required
@require_POST
def intake_request_close(request, pk):
    row = permissions.get_intake_request_for(request.user, pk)
    form = CloseRequestForm(request.POST)
    if form.is_valid():
        try:
            services.close_request(row, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The request is closed without an intake."))
            return redirect("cases:intake_requests")
    return _request_page(request, row, form, status=400)
