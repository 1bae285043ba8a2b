"""The program's phase templates, for the program director: list, look, copy, change, choose the one in use.

Templates hold no survivor data, so these pages need a role permission
(``phases.view_phasetemplate`` and friends) rather than a case; nobody else sees them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bloom import translated
from bloom.access import require
from cases.views.pages import show_refusal
from phases.forms.templates import NewTemplateForm, TemplateForm, phase_formset, template_initial, translation_forms
from phases.models import GoalDomain, PhaseTemplate
from phases.queries import journey as queries
from phases.services import templates as services


def _domain_labels(values: list[str]) -> list[str]:
    return [GoalDomain(value).label for value in values if value in GoalDomain.values]


@login_required
@require_safe
def template_list(request):
    require(services.may_view_templates(request.user))
    context = {
        "templates": queries.templates_overview(),
        "can_add": services.may_add_templates(request.user),
        "can_change": services.may_change_templates(request.user),
    }
    return render(request, "phases/templates_list.html", context)


@login_required
@require_safe
def template_detail(request, template_pk):
    require(services.may_view_templates(request.user))
    template = get_object_or_404(queries.templates_overview(), pk=template_pk)
    phases = [(phase, _domain_labels(phase.suggested_domains)) for phase in queries.phases_of(template)]
    context = {
        "template": template,
        "phases": phases,
        "languages": translated.other_languages(),
        "total_months": sum(phase.expected_months for phase, _labels in phases),
        "can_add": services.may_add_templates(request.user),
        "can_change": services.may_change_templates(request.user),
    }
    return render(request, "phases/templates_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request):
    """A new template is a copy of an existing one (``?from=`` chooses which), changed afterwards."""
    require(services.may_add_templates(request.user))
    form = NewTemplateForm(request.POST or None, initial=_copy_initial(request.GET.get("from")))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            copy = services.copy_template(
                data["source"], by=request.user, name=data["name"], description=data["description"]
            )
        except services.TemplateError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Copied. Change the new template below; no case plan follows it yet."))
            if services.may_change_templates(request.user):
                return redirect("phases:template_edit", template_pk=copy.pk)
            return redirect("phases:template", template_pk=copy.pk)
    return render(request, "phases/templates_new.html", {"form": form, "has_errors": bool(form.errors)})


def _copy_initial(source_pk: str | None) -> dict:
    source = None
    if source_pk and source_pk.isdigit() and len(source_pk) < 10:
        source = PhaseTemplate.objects.filter(pk=int(source_pk)).first()
    source = source or PhaseTemplate.objects.filter(in_use=True).first()
    if source is None:
        return {}
    return {
        "source": source.pk,
        "name": _("Copy of %(name)s") % {"name": source.name},
        "description": source.description,
    }


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, template_pk):
    require(services.may_change_templates(request.user))
    template = get_object_or_404(PhaseTemplate, pk=template_pk)
    following = services.plans_following(template)
    if following:
        return _translations_edit(request, template, services.frozen_message(following))
    data = request.POST or None
    form = TemplateForm(data, template=template, initial=template_initial(template))
    formset = phase_formset(data, template)
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        try:
            services.update_template(
                template,
                by=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                phases=formset.specs(),
                translations=form.translations(),
            )
        except services.TemplateError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Template saved."))
            return redirect("phases:template", template_pk=template.pk)
    context = {
        "template": template,
        "form": form,
        "formset": formset,
        "has_errors": bool(form.errors or not _formset_ok(formset)),
    }
    return render(request, "phases/templates_edit.html", context)


def _formset_ok(formset) -> bool:
    return not formset.is_bound or formset.is_valid()


def _translations_edit(request, template: PhaseTemplate, frozen: str):
    """A template case plans follow: its English stays as it is (said plainly, with the way to change it),
    and its words in the other languages can still be written."""
    form, formset = translation_forms(request.POST or None, template)
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        try:
            services.translate_template(
                template, by=request.user, translations=form.translations(), phases=formset.translations()
            )
        except services.TemplateError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Translations saved."))
            return redirect("phases:template", template_pk=template.pk)
    context = {
        "template": template,
        "frozen": frozen,
        "form": form,
        "formset": formset,
        "has_errors": bool(form.errors or not _formset_ok(formset)),
    }
    return render(request, "phases/templates_edit.html", context)


@login_required
@require_POST
def template_use(request, template_pk):
    require(services.may_change_templates(request.user))
    template = get_object_or_404(PhaseTemplate, pk=template_pk)
    try:
        services.use_template(template, by=request.user)
    except services.TemplateError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("phases:template", template_pk=template.pk)
    messages.success(
        request,
        _("New case plans will follow %(name)s. Plans already started keep the phases they follow.")
        % {"name": template.local("name")},
    )
    return redirect("phases:templates")
