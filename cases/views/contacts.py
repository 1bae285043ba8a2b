"""Logging and correcting contacts, the case's contacts, its contact cadence, and stages of change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from cases import permissions, queries, services
from cases.forms import ContactCadenceForm, ContactForm, StageForm
from cases.views.pages import case_page, forms_context

CONTACTS_PER_PAGE = 25


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.log_contact(case, by=request.user, **form.cleaned_data)
        except services.ContactError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contact saved: %(contact)s.") % {"contact": contact.get_kind_display()})
            return redirect(case)
    return case_page(request, case, "cases/contacts_form.html", {"form": form, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def contact_correct(request, pk, contact_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    contact = get_object_or_404(case.contacts, pk=contact_pk)
    form = ContactForm(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_contact(contact, by=request.user, **form.cleaned_data)
        except services.ContactError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contact corrected. The earlier values are kept in the history."))
            return redirect("cases:contacts", pk=case.pk)
    context = {"form": form, "contact": contact, **forms_context(form)}
    return case_page(request, case, "cases/contacts_form.html", context)


@login_required
@require_safe
def contact_list(request, pk):
    case = permissions.get_case_for(request.user, pk)
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    contacts = queries.contacts_of(case).prefetch_related(queries.services_given())
    page = Paginator(contacts, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "summary": queries.contact_summary(case)}
    return case_page(request, case, "cases/contacts_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_cadence(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = ContactCadenceForm(request.POST or None, initial={"days": case.contact_cadence_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_contact_cadence(case, by=request.user, days=form.cleaned_data["days"])
        except services.ContactError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contact cadence saved."))
            return redirect(case)
    return case_page(request, case, "cases/contacts_cadence_form.html", {"form": form, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def stage_new(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = StageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.record_stage(case, by=request.user, **form.cleaned_data)
        except services.ContactError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Stage of change recorded: %(stage)s.") % {"stage": observation.get_stage_display()}
            )
            return redirect(case)
    return case_page(request, case, "cases/contacts_stage_form.html", {"form": form, **forms_context(form)})
