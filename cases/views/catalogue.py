"""The service catalogue and the funders' codes, for the program director.

The catalogue holds no survivor data, so these pages need the role's permission
(``cases.manage_service_catalogue``) rather than a case: anyone else signed in gets a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bloom import translated
from bloom.forms import forms_context, show_refusal
from cases import services
from cases.forms import FunderCodeForm, ServiceForm
from cases.models import FunderCode, FunderScheme, Service


def _require_manager(request) -> None:
    if not services.may_manage_catalogue(request.user):
        raise PermissionDenied


@login_required
@require_safe
def service_list(request):
    _require_manager(request)
    rows = Service.objects.select_related("victim_services_code", "hhs_code")
    by_group = {group: [] for group in Service.Group.values}
    for service in rows.order_by("order", "name"):
        by_group.setdefault(service.group, []).append(service)
    labels = dict(Service.Group.choices)
    groups = [(labels.get(group, group), listed) for group, listed in by_group.items() if listed]
    context = {"groups": groups, "languages": translated.other_languages()}
    return render(request, "cases/catalogue_services.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request):
    _require_manager(request)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.add_service(by=request.user, details=form.details())
        except services.CatalogueError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Service added: %(name)s.") % {"name": service.local("name")})
            return redirect("cases:catalogue")
    return render(request, "cases/catalogue_service_form.html", {"form": form, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, service_pk):
    _require_manager(request)
    service = get_object_or_404(Service, pk=service_pk)
    form = ServiceForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_service(service, by=request.user, details=form.details())
        except services.CatalogueError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Service saved. Services already recorded keep it."))
            return redirect("cases:catalogue")
    context = {"form": form, "service": service, **forms_context(form)}
    return render(request, "cases/catalogue_service_form.html", context)


@login_required
@require_safe
def code_list(request):
    _require_manager(request)
    codes = FunderCode.objects.order_by("scheme", "order", "code")
    # Which service each code counts; a victim-services code counts one, an HHS category several.
    counted = {}
    for name, words, vs_code, hhs_code in Service.objects.order_by("name").values_list(
        "name", "translations", "victim_services_code", "hhs_code"
    ):
        for code_pk in (vs_code, hhs_code):
            if code_pk is not None:
                counted.setdefault(code_pk, []).append(translated.pick(name, words, "name"))
    labels = dict(FunderScheme.choices)
    schemes = {scheme: [] for scheme in FunderScheme.values}
    for code in codes:
        schemes.setdefault(code.scheme, []).append((code, counted.get(code.pk, [])))
    context = {"schemes": [(labels.get(scheme, scheme), rows) for scheme, rows in schemes.items() if rows]}
    return render(request, "cases/catalogue_codes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def code_new(request):
    _require_manager(request)
    form = FunderCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code = services.add_funder_code(by=request.user, details=form.details())
        except services.CatalogueError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Code added: %(code)s.") % {"code": code.code})
            return redirect("cases:funder_codes")
    return render(request, "cases/catalogue_code_form.html", {"form": form, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def code_edit(request, code_pk):
    _require_manager(request)
    funder_code = get_object_or_404(FunderCode, pk=code_pk)
    form = FunderCodeForm(request.POST or None, funder_code=funder_code)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_funder_code(funder_code, by=request.user, details=form.details())
        except services.CatalogueError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Code saved."))
            return redirect("cases:funder_codes")
    context = {"form": form, "funder_code": funder_code, **forms_context(form)}
    return render(request, "cases/catalogue_code_form.html", context)
