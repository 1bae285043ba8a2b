"""The words ``phases`` stores for people to read later, by code (``bloom.said``).

Each ``legacy`` is the English sentence the services stored before codes: the data migration
``stored_words_as_codes`` reads it to convert the rows written then.
"""

from django.utils.translation import gettext_lazy as _

from bloom.said import FIELDS, MONTH, Choice, Named, Words, register
from phases.models import Goal

PHASE = r"(?P<phase>.+)"

register(
    "phases",
    # The journey through the phases
    Words("plan.started", _("Case plan started"), legacy="Case plan started"),
    Words("stay.started", _("Started in %(phase)s"), phase=Named("phases.Phase"), legacy=rf"Started in {PHASE}"),
    Words(
        "review.asked",
        _("Move to %(phase)s asked for"),
        phase=Named("phases.Phase"),
        legacy=rf"Move to {PHASE} asked for",
    ),
    Words("review.signed_off", _("Move signed off"), legacy="Move signed off"),
    Words("review.returned", _("Move returned"), legacy="Move returned"),
    Words("review.withdrawn", _("Move withdrawn"), legacy="Move withdrawn"),
    # A waiting move's note when the survivor went back to an earlier phase instead (named
    # beside it, in the journey): without the phase, so that showing it needs no query.
    Words(
        "review.withdrawn_back",
        _("Withdrawn: moved back to an earlier phase instead."),
        legacy=r"Withdrawn: moved back to .+ instead\.",
    ),
    Words(
        "stay.left_forward",
        _("Moved forward to %(phase)s"),
        phase=Named("phases.Phase"),
        legacy=rf"Moved forward to {PHASE}",
    ),
    Words(
        "stay.forward",
        _("Moved forward from %(phase)s"),
        phase=Named("phases.Phase"),
        legacy=rf"Moved forward from {PHASE}",
    ),
    Words(
        "stay.left_back", _("Moved back to %(phase)s"), phase=Named("phases.Phase"), legacy=rf"Moved back to {PHASE}"
    ),
    Words("stay.back", _("Moved back from %(phase)s"), phase=Named("phases.Phase"), legacy=rf"Moved back from {PHASE}"),
    # Goals, action steps and progress notes
    Words("goal.set", _("Goal set"), legacy="Goal set"),
    Words(
        "goal.changed",
        _("Goal changed: %(fields)s"),
        fields=FIELDS,
        legacy=r"Goal changed: (?P<fields>[a-z0-9_]+(?:, [a-z0-9_]+)*)",
    ),
    Words("goal.status", _("Status: %(status)s"), status=Choice(Goal.Status), legacy=r"Status: (?P<status>.+)"),
    Words(
        "goal_note.with_status",
        _("Progress note with the status change from %(status)s"),
        status=Choice(Goal.Status),
        legacy=r"Progress note with the status change from (?P<status>.+)",
    ),
    Words("goal_note.written", _("Progress note"), legacy="Progress note"),
    Words("step.added", _("Action step added"), legacy="Action step added"),
    Words(
        "step.done",
        _("Action step done: %(fields)s"),
        fields=FIELDS,
        legacy=r"Action step done: (?P<fields>[a-z0-9_]+(?:, [a-z0-9_]+)*)",
    ),
    Words(
        "step.changed",
        _("Action step changed: %(fields)s"),
        fields=FIELDS,
        legacy=r"Action step changed: (?P<fields>[a-z0-9_]+(?:, [a-z0-9_]+)*)",
    ),
    # Budget worksheets
    Words(
        "budget.started",
        _("Budget worksheet for %(month)s"),
        month=MONTH,
        legacy=r"Budget worksheet for (?P<month>[0-9]{4}-[0-9]{2})",
    ),
    Words(
        "budget_line.carried",
        _("Carried over from %(month)s"),
        month=MONTH,
        legacy=r"Carried over from (?P<month>[0-9]{4}-[0-9]{2})",
    ),
    Words("budget_line.added", _("Budget line added"), legacy="Budget line added"),
    Words("budget_line.removed", _("Budget line removed"), legacy="Budget line removed"),
    Words(
        "budget_line.changed",
        _("Budget line changed: %(fields)s"),
        fields=FIELDS,
        legacy=r"Budget line changed: (?P<fields>[a-z0-9_]+(?:, [a-z0-9_]+)*)",
    ),
    Words("budget.note_changed", _("Budget note changed"), legacy="Budget note changed"),
    # Phase templates
    Words(
        "template.copied",
        _("Copied from %(template)s"),
        template=Named("phases.PhaseTemplate"),
        legacy=r"Copied from (?P<template>.+)",
    ),
    Words("phase.added", _("Phase added to the template"), legacy="Phase added to the template"),
    Words("phase.removed", _("Phase removed from the template"), legacy="Phase removed from the template"),
    Words(
        "template.replaced",
        _("No longer in use: %(template)s is"),
        template=Named("phases.PhaseTemplate"),
        legacy=r"No longer in use: (?P<template>.+) is",
    ),
    Words("template.in_use", _("In use for new case plans"), legacy="In use for new case plans"),
    Words(
        "template.spanish_installed",
        _("Spanish version of the default phase templates"),
        legacy="Spanish version of the default phase templates",
    ),
)
