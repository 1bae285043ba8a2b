"""A case's assistance tab: its requests for money, help given in kind, housing history and
the awards it is served under.

Reading needs sight of the case; asking for money, recording help or a stay needs
``change_case`` and the role's capability; adding or removing an award needs ``change_case``.
Rows are reached through their case, never by id alone.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assistance import access
from assistance.forms import (
    CaseAwardForm,
    CaseAwardRemoveForm,
    HousingForm,
    InKindForm,
    ReasonForm,
    RequestForm,
    StayForm,
)
from assistance.services import awards as award_services
from assistance.services import help as help_services
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from assistance.services.common import AssistanceError
from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from cases import permissions
from cases.views.pages import case_page, forms_context, show_refusal

TAB = "assistance"


def _page(request, case, template, context, perms):
    return case_page(request, case, template, {"tab": TAB, **context}, perms=perms)


def _case_and_perms(request, pk, *, change: bool = False):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE if change else permissions.VIEW)
    return case, case.perms


def _assistance_page(request, case, perms, *, award_form=None, award_remove_form=None):
    """The tab, with the awards' forms as posted when one was refused."""
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    stays = list(case.housing_placements.select_related("provider").order_by("-started_on", "-pk"))
    may_change_awards = permissions.CHANGE in perms
    context = {
        "requests": case.assistance_requests.select_related("fund", "requested_by").order_by("-requested_at", "-pk"),
        "items": case.in_kind_items.select_related("given_by").order_by("-given_on", "-pk"),
        "stays": [(stay, housing_services.limit_of(stay.kind, stay.started_on)) for stay in stays],
        "awards": case.awards.select_related("fund", "added_by").order_by("fund__name", "pk"),
        "may_ask": access.may_ask(request.user, perms),
        "may_give": access.may_give(request.user, perms),
        "may_house": access.may_house(request.user, perms),
        "may_change_awards": may_change_awards,
        "award_form": award_form or (CaseAwardForm() if may_change_awards else None),
        "award_remove_form": award_remove_form,
    }
    return _page(request, case, "assistance/case.html", context, perms)


@login_required
@require_safe
def case_assistance(request, pk):
    case, perms = _case_and_perms(request, pk)
    return _assistance_page(request, case, perms)


@login_required
@require_POST
def award_add(request, pk):
    case, perms = _case_and_perms(request, pk, change=True)
    form = CaseAwardForm(request.POST)
    if form.is_valid():
        try:
            award = award_services.add_case_award(case, by=request.user, fund=form.cleaned_data["fund"])
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("This case is now served under %(award)s.") % {"award": award.fund})
            return redirect("assistance:case", pk=case.pk)
    return _assistance_page(request, case, perms, award_form=form)


@login_required
@require_POST
def award_remove(request, pk):
    case, perms = _case_and_perms(request, pk, change=True)
    form = CaseAwardRemoveForm(request.POST, case=case)
    if form.is_valid():
        award = form.cleaned_data["award"]
        award_services.remove_case_award(award, by=request.user)
        messages.success(
            request,
            _("This case is no longer served under %(award)s. The case's history keeps that it was.")
            % {"award": award.fund},
        )
        return redirect("assistance:case", pk=case.pk)
    return _assistance_page(request, case, perms, award_remove_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request, pk):
    case, perms = _case_and_perms(request, pk, change=True)
    if not access.may_ask(request.user, perms):
        raise PermissionDenied
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = request_services.ask(case, by=request.user, details=form.details())
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Request %(number)s is waiting for approval.") % {"number": made.number})
            return redirect("assistance:request", pk=made.pk)
    return _page(request, case, "assistance/request_form.html", {"form": form, **forms_context(form)}, perms)


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request, pk, request_pk):
    case, perms = _case_and_perms(request, pk, change=True)
    asked = get_object_or_404(case.assistance_requests.select_related("fund"), pk=request_pk)
    if access.ACT_EDIT not in access.request_actions(request.user, asked, perms):
        raise PermissionDenied
    form = RequestForm(request.POST or None, initial=RequestForm.initial_for(asked))
    if request.method == "POST" and form.is_valid():
        try:
            request_services.change_request(asked, by=request.user, details=form.details())
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Request %(number)s corrected.") % {"number": asked.number})
            return redirect("assistance:request", pk=asked.pk)
    context = {"form": form, "asked": asked, **forms_context(form)}
    return _page(request, case, "assistance/request_form.html", context, perms)


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request, pk):
    case, perms = _case_and_perms(request, pk, change=True)
    if not access.may_give(request.user, perms):
        raise PermissionDenied
    form = InKindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = help_services.give(case, by=request.user, details=form.details())
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Recorded: %(item)s.") % {"item": item})
            return redirect("assistance:case", pk=case.pk)
    return _page(request, case, "assistance/item_form.html", {"form": form, **forms_context(form)}, perms)


@login_required
@require_http_methods(["GET", "POST"])
def item_remove(request, pk, item_pk):
    case, perms = _case_and_perms(request, pk, change=True)
    item = get_object_or_404(case.in_kind_items, pk=item_pk)
    if not access.may_give(request.user, perms):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            help_services.remove(item, by=request.user, reason=form.cleaned_data["reason"])
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Removed. The case's history keeps what it said."))
            return redirect("assistance:case", pk=case.pk)
    context = {"form": form, "item": item, **forms_context(form)}
    return _page(request, case, "assistance/item_remove.html", context, perms)


@login_required
@require_http_methods(["GET", "POST"])
def stay_new(request, pk):
    case, perms = _case_and_perms(request, pk, change=True)
    if not access.may_house(request.user, perms):
        raise PermissionDenied
    form = HousingForm(request.POST or None)
    current = case.housing_placements.filter(ended_on__isnull=True).first()
    if request.method == "POST" and form.is_valid():
        try:
            housing_services.place(case, by=request.user, details=form.details())
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Housing stay recorded."))
            return redirect("assistance:case", pk=case.pk)
    context = {"form": form, "current": current, **forms_context(form)}
    return _page(request, case, "assistance/stay_form.html", context, perms)


@login_required
@require_http_methods(["GET", "POST"])
def stay_edit(request, pk, stay_pk):
    case, perms = _case_and_perms(request, pk, change=True)
    stay = get_object_or_404(case.housing_placements.select_related("provider"), pk=stay_pk)
    if not access.may_house(request.user, perms):
        raise PermissionDenied
    form = StayForm(request.POST or None, initial=StayForm.initial_for(stay))
    if request.method == "POST" and form.is_valid():
        try:
            housing_services.change_stay(stay, by=request.user, change=form.change())
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Housing stay saved."))
            return redirect("assistance:case", pk=case.pk)
    limit = housing_services.limit_of(stay.kind, stay.started_on)
    context = {"form": form, "stay": stay, "limit": limit, **forms_context(form)}
    return _page(request, case, "assistance/stay_edit.html", context, perms)
