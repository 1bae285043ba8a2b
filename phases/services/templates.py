"""The program's phase templates: copying one, changing a copy, and choosing the one in use.

Only the program director configures phases (``phases.add_phasetemplate``,
``phases.change_phasetemplate``). A template that any case plan follows is frozen: it can
be neither edited nor have phases removed, only copied. That is how changing the program's
phases never rewrites a journey already made: a case plan keeps pointing at the phases it
went through, with the names and checklists they had. Choosing another template for new
case plans leaves every existing plan as it is.

The words in the other languages (``bloom.translated``) are not the journey: they say the same
phase in another language, so they may be written and corrected on any template, followed or
not (``translate_template``). A checklist's translation has one item per English item, in the
same order, or none at all.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bloom import translated
from bloom.accounts.models import User
from bloom.said import Said
from cases.services.common import apply_changes as _apply
from cases.services.common import delete as _delete
from cases.services.common import save as _save
from phases.models import LONGEST_PLAN_MONTHS, Goal, GoalDomain, Phase, PhaseTemplate

# Sensible lengths: a phase's purpose is a sentence or two, its checklist a short list.
LONGEST_DESCRIPTION = 2000
LONGEST_PURPOSE = 1000
LONGEST_CHECKLIST_ITEM = 300
MOST_CHECKLIST_ITEMS = 20
MOST_PHASES = 12
# How long each of the words in another language may be: as long as the English.
LONGEST_WORDS = {
    "name": PhaseTemplate._meta.get_field("name").max_length,
    "description": LONGEST_DESCRIPTION,
    "purpose": LONGEST_PURPOSE,
    "checklist": LONGEST_CHECKLIST_ITEM,
}
# While phases are renumbered, they step aside to positions above any real one.
_ASIDE = 1000


class TemplateError(ValidationError):
    """A template change the rules do not allow; the message says why.

    Raised with the form field it concerns (``{"name": message}``) or, for the template as
    a whole, with a plain message.
    """


@dataclass
class PhaseSpec:
    """One phase as the director wrote it; ``id`` names an existing phase of the template."""

    name: str
    purpose: str
    expected_months: int
    suggested_domains: list[str] = field(default_factory=list)
    checklist: list[str] = field(default_factory=list)
    id: int | None = None
    # The other languages, {"es": {"name": ..., "checklist": [...]}}; None keeps an existing
    # phase's as they are (a new phase then has none).
    translations: dict | None = None


def may_view_templates(user: User) -> bool:
    return _configures(user, "view_phasetemplate")


def may_add_templates(user: User) -> bool:
    return _configures(user, "add_phasetemplate")


def may_change_templates(user: User) -> bool:
    return _configures(user, "change_phasetemplate")


def _configures(user: User, codename: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(f"phases.{codename}"))


def translation_problems(translations: dict, english: dict) -> dict[str, str]:
    """What is wrong with a template's or a phase's ``translations`` beside its ``english`` words,
    by the form field it was typed in ("checklist_es"): words too long, or a checklist without
    exactly one item per English item (it may be left empty: the English shows instead).

    The forms show these beside their fields; the services below refuse them all the same.
    """
    return translated.problems(translations, english, longest=LONGEST_WORDS)


def _tidy_phase(translations: dict | None, kept: dict | None = None) -> dict:
    return translated.tidy(translations, Phase.TRANSLATED, lists=Phase.TRANSLATED_LISTS, kept=kept)


def plans_following(template: PhaseTemplate) -> int:
    return template.plans.count()


def frozen_message(count: int) -> str:
    return ngettext(
        "%(count)s case plan follows this template, so it cannot be changed: that would rewrite a journey "
        "already made. Make a copy to change it.",
        "%(count)s case plans follow this template, so it cannot be changed: that would rewrite journeys "
        "already made. Make a copy to change it.",
        count,
    ) % {"count": count}


@transaction.atomic
def copy_template(source: PhaseTemplate, *, by: User, name: str, description: str) -> PhaseTemplate:
    """A new template, not in use, with a copy of ``source``'s phases; ready to be changed.

    Refused with ``TemplateError`` for a name another template has. Side effect: history
    rows for the template and each phase.
    """
    if not may_add_templates(by):
        raise PermissionDenied
    name = _check_template_name(name, description)
    copy = PhaseTemplate(name=name, description=description.strip(), in_use=False, created_by=by)
    _save(copy, by=by, reason=Said("template.copied", template=source))
    for phase in source.phases.order_by("position"):
        _save(
            Phase(
                template=copy,
                position=phase.position,
                name=phase.name,
                purpose=phase.purpose,
                suggested_domains=list(phase.suggested_domains),
                expected_months=phase.expected_months,
                checklist=list(phase.checklist),
                translations=dict(phase.translations),
            ),
            by=by,
            reason=Said("template.copied", template=source),
        )
    return copy


@transaction.atomic
def update_template(
    template: PhaseTemplate,
    *,
    by: User,
    name: str,
    description: str,
    phases: list[PhaseSpec],
    translations: dict | None = None,
) -> PhaseTemplate:
    """Rename ``template`` and make its phases exactly ``phases``, in that order.

    Phases with an ``id`` are changed in place, those without are added, and the
    template's other phases are removed. ``translations`` are the template's name and
    description in the other languages (None keeps them). Refused with ``TemplateError`` when
    any case plan follows the template, for no phases, a name used twice, a phase that is not
    this template's, a phase a goal refers to being removed, values outside the limits, or a
    translation ``translation_problems`` refuses. Only what changed is written; each written
    row leaves a history row.
    """
    if not may_change_templates(by):
        raise PermissionDenied
    # Locked, so that no case plan can start on it while it changes (start_plan locks it too).
    template = PhaseTemplate.objects.select_for_update().get(pk=template.pk)
    following = plans_following(template)
    if following:
        raise TemplateError(frozen_message(following))
    name = _check_template_name(name, description, exclude=template.pk)
    values = {"name": name, "description": description.strip()}
    if translations is not None:
        if problems := translation_problems(translations, values):
            raise TemplateError(problems)
        values["translations"] = translated.tidy(translations, PhaseTemplate.TRANSLATED, kept=template.translations)
    _check_phases(phases)
    current = {phase.pk: phase for phase in template.phases.all()}
    ids = [spec.id for spec in phases if spec.id is not None]
    if set(ids) - set(current) or len(set(ids)) != len(ids):
        raise TemplateError(_("A phase in this form is not one of this template's. Reload the page and try again."))
    removed = [phase for pk, phase in current.items() if pk not in ids]
    if Goal.objects.filter(phase__in=removed).exists():
        raise TemplateError(_("A goal is set in a phase you removed. Move the goal to another phase first."))

    changed = _apply(template, values)
    if changed:
        _save(template, by=by, reason=Said("row.changed", fields=changed), fields=changed)
    for phase in removed:
        _delete(phase, by=by, reason=Said("phase.removed"))
    _write_phases(template, current, phases, by=by)
    return template


def _write_phases(template: PhaseTemplate, current: dict[int, Phase], phases: list[PhaseSpec], *, by: User) -> None:
    writes = []
    for position, spec in enumerate(phases, start=1):
        values = {
            "position": position,
            "name": spec.name.strip(),
            "purpose": spec.purpose.strip(),
            "suggested_domains": list(spec.suggested_domains),
            "expected_months": spec.expected_months,
            "checklist": list(spec.checklist),
        }
        phase = current.get(spec.id) if spec.id is not None else None
        if spec.translations is not None or phase is None:
            values["translations"] = _tidy_phase(spec.translations, phase.translations if phase else None)
        changed = [name for name, value in values.items() if phase is not None and getattr(phase, name) != value]
        writes.append((phase, values, changed))
    # Positions and names are unique within a template, so phases that swap them would
    # collide half-way. Those that move step aside first (a plain update: each is written
    # again below with its final values, and that save is what history keeps).
    moving = [phase.pk for phase, _values, changed in writes if phase is not None and {"position", "name"} & {*changed}]
    if moving:
        Phase.objects.filter(pk__in=moving).update(
            position=F("position") + _ASIDE, name=Concat(Value("~moving~"), Cast("pk", output_field=CharField()))
        )
    for phase, values, changed in writes:
        if phase is None:
            _save(Phase(template=template, **values), by=by, reason=Said("phase.added"))
        elif changed:
            for name in changed:
                setattr(phase, name, values[name])
            fields = sorted({*changed, "position", "name"}) if phase.pk in moving else changed
            _save(phase, by=by, reason=Said("row.changed", fields=changed), fields=fields)


def _check_template_name(name: str, description: str, *, exclude: int | None = None) -> str:
    """The name, stripped, if it and the description fit and no other template has the name."""
    name = name.strip()
    if not name:
        raise TemplateError({"name": _("Give the template a name.")})
    if len(name) > PhaseTemplate._meta.get_field("name").max_length:
        raise TemplateError({"name": _("Keep the name to 100 characters or fewer.")})
    if len(description) > LONGEST_DESCRIPTION:
        raise TemplateError({"description": _("Keep the description to 2000 characters or fewer.")})
    others = PhaseTemplate.objects.filter(name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise TemplateError({"name": _("Another template already has this name. Choose another.")})
    return name


def _check_phases(phases: list[PhaseSpec]) -> None:
    if not phases:
        raise TemplateError(_("A template needs at least one phase."))
    if len(phases) > MOST_PHASES:
        raise TemplateError(_("A template can have at most %(most)s phases.") % {"most": MOST_PHASES})
    names = [spec.name.strip().casefold() for spec in phases]
    if len(set(names)) != len(names):
        raise TemplateError(_("Two phases have the same name. Give each phase its own name."))
    _check_translated_names([spec.translations for spec in phases if spec.translations])
    for spec in phases:
        if not spec.name.strip() or len(spec.name.strip()) > Phase._meta.get_field("name").max_length:
            raise TemplateError(_("Each phase needs a name of 100 characters or fewer."))
        if not spec.purpose.strip() or len(spec.purpose) > LONGEST_PURPOSE:
            raise TemplateError(_("Each phase needs a purpose of 1000 characters or fewer."))
        if not 1 <= spec.expected_months <= LONGEST_PLAN_MONTHS:
            raise TemplateError(
                _("Each phase is expected to take from 1 to %(most)s months.") % {"most": LONGEST_PLAN_MONTHS}
            )
        if not set(spec.suggested_domains) <= set(GoalDomain.values):
            raise TemplateError(_("Choose suggested goal areas from the list."))
        if len(spec.checklist) > MOST_CHECKLIST_ITEMS or any(
            not item.strip() or len(item) > LONGEST_CHECKLIST_ITEM for item in spec.checklist
        ):
            raise TemplateError(
                _("A checklist has at most %(most)s items of up to %(length)s characters each.")
                % {"most": MOST_CHECKLIST_ITEMS, "length": LONGEST_CHECKLIST_ITEM}
            )
        english = {"name": spec.name.strip(), "purpose": spec.purpose.strip(), "checklist": list(spec.checklist)}
        _refuse_translation(spec.name, translation_problems(spec.translations or {}, english))


def _refuse_translation(phase_name: str, problems: dict[str, str]) -> None:
    """Refuse a phase's translation, naming the phase: the form showed it beside its field already."""
    if problems:
        raise TemplateError(
            _("%(phase)s: %(problem)s") % {"phase": phase_name.strip(), "problem": next(iter(problems.values()))}
        )


def _check_translated_names(translations: list[dict]) -> None:
    """Two phases of a template are told apart in every language: no two share a name in one."""
    for code, _own in translated.other_languages():
        names = [(words.get(code) or {}).get("name", "").strip().casefold() for words in translations]
        names = [name for name in names if name]
        if len(set(names)) != len(names):
            raise TemplateError(_("Two phases have the same name in one language. Give each phase its own name."))


@transaction.atomic
def translate_template(
    template: PhaseTemplate, *, by: User, translations: dict, phases: dict[int, dict]
) -> PhaseTemplate:
    """Write ``template``'s name and description in the other languages, and its phases' words
    (``phases``, by phase id), whether or not case plans follow it: a translation says the same
    phase in another language, so it rewrites no journey.

    Refused with ``TemplateError`` for a phase that is not this template's, two phases with one
    name in a language, or a translation ``translation_problems`` refuses. Only what changed is
    written; each written row leaves a history row.
    """
    if not may_change_templates(by):
        raise PermissionDenied
    template = PhaseTemplate.objects.select_for_update().get(pk=template.pk)
    current = {phase.pk: phase for phase in template.phases.order_by("position")}
    if set(phases) - set(current):
        raise TemplateError(_("A phase in this form is not one of this template's. Reload the page and try again."))
    if problems := translation_problems(translations, {"name": template.name, "description": template.description}):
        raise TemplateError(problems)
    for pk, words in phases.items():
        phase = current[pk]
        english = {"name": phase.name, "purpose": phase.purpose, "checklist": list(phase.checklist)}
        _refuse_translation(phase.name, translation_problems(words, english))
    _check_translated_names([phases.get(pk, phase.translations) for pk, phase in current.items()])
    stored = translated.tidy(translations, PhaseTemplate.TRANSLATED, kept=template.translations)
    if _apply(template, {"translations": stored}):
        _save(template, by=by, reason=Said("row.changed", fields=["translations"]), fields=["translations"])
    for pk, words in phases.items():
        phase = current[pk]
        if _apply(phase, {"translations": _tidy_phase(words, phase.translations)}):
            _save(phase, by=by, reason=Said("row.changed", fields=["translations"]), fields=["translations"])
    return template


@transaction.atomic
def use_template(template: PhaseTemplate, *, by: User) -> PhaseTemplate:
    """Make ``template`` the one new case plans follow; existing plans keep theirs.

    Exactly one template is in use at a time: the switch happens in one transaction, with
    the templates in use locked so that two directors switching at once end with one.
    Refused for a template without phases. Side effect: history rows for both templates.
    """
    if not may_change_templates(by):
        raise PermissionDenied
    previous = list(PhaseTemplate.objects.select_for_update().filter(in_use=True))
    template = PhaseTemplate.objects.select_for_update().get(pk=template.pk)
    if template.in_use:
        return template
    if not template.phases.exists():
        raise TemplateError(_("A template needs at least one phase before case plans can follow it."))
    # The old one first: the database allows only one template in use at any moment.
    for old in previous:
        old.in_use = False
        _save(old, by=by, reason=Said("template.replaced", template=template), fields=["in_use"])
    template.in_use = True
    _save(template, by=by, reason=Said("template.in_use"), fields=["in_use"])
    return template
