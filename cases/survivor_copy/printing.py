"""Printing a survivor's copy: who may have it, what the access log says, and building the PDF.

``survivor_copy`` is asked for from one of the survivor's cases by anyone who may see it
(``permissions.get_case_for``); the copy covers every enrollment of that survivor the person
may see (``permissions.visible_cases``): a case of another team, or one they could open only by
emergency access that has run out, is left out. Staff notes are printed only when asked for by
someone who may see sensitive details: refused beside the field on the page, before anything is
queued through any route (``check_parameters``), and checked again when the PDF is built.
The builder is registered from ``CasesConfig.ready`` (``register_builders``).
"""

from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from bloom.accounts.models import User
from bloom.forms import EARLIEST_DAY, PLANNED_AHEAD_DAYS
from bloom.reports.builders import Builder, register
from bloom.reports.printouts import render_printout
from bloom.said import Said
from cases import permissions
from cases.forms.copy import NOTES_REFUSED, SurvivorCopyForm
from cases.models import Case, Survivor
from cases.printouts import addressed, label
from cases.service_report import sections
from cases.service_report.sections import PrintedPart
from cases.survivor_copy import Part, Scope, record, registered

KIND = "survivor_copy"
TEMPLATE = "cases/survivor_copy/pdf.html"


# What was asked -----------------------------------------------------------------------------


def read_parameters(data) -> dict:
    """The language and staff notes in a request's ``data``, checked as the copy's page checks them."""
    form = SurvivorCopyForm(data)
    if not form.is_valid():
        raise ValidationError([message for errors in form.errors.values() for message in errors])
    return form.parameters()


def check_parameters(user: User, case: Case, parameters: dict) -> None:
    """Refuse staff notes to someone who may not see the survivor's sensitive details."""
    if parameters.get("staff_notes") and not permissions.can_see_sensitive(user, case):
        raise ValidationError(str(NOTES_REFUSED))


def log_reason(parameters: dict) -> Said:
    """The access log's reason: what was printed, in which language, and whether with staff notes."""
    code = "log.survivor_copy_notes" if parameters.get("staff_notes") else "log.survivor_copy"
    return Said(code, language=parameters.get("language", "?"))


# What is printed ----------------------------------------------------------------------------


def enrollments_of(user: User, case: Case) -> list[Case]:
    """Every enrollment of ``case``'s survivor that ``user`` may see, the latest first."""
    return list(
        permissions.visible_cases(user).filter(survivor=case.survivor_id).order_by("-opened_on", "-pk").distinct()
    )


def parts() -> list[Part]:
    """Every part of the copy, in order: the apps' own, and the service report's sections that none
    of them prints in full, read over every day of each enrollment."""
    own = registered()
    replaced = {key for part in own for key in part.replaces}
    from_report = [
        Part(section.key, section.own_title, section.template, partial(_whole_section, section), section.order)
        for section in sections.SECTIONS.values()
        if section.key not in replaced and section.key not in {part.key for part in own}
    ]
    return sorted([*own, *from_report], key=lambda part: (part.order, part.key))


def _whole_section(section: sections.Section, scope: Scope) -> dict:
    # Every day a record of the program can carry (bloom.forms), as the survivor's own copy: no
    # shelter or landlord named, notes only with staff notes.
    return section.load(
        sections.Scope(
            case_ids=scope.case_ids,
            start=EARLIEST_DAY,
            end=timezone.localdate() + timedelta(days=PLANNED_AHEAD_DAYS),
            notes=scope.staff_notes,
            identifying=True,
            own_copy=True,
        )
    )


def left_out(*, sensitive: bool, staff_notes: bool, every_part: list[Part]) -> tuple[str, ...]:
    """What the copy does not hold, and why, in a sentence each for the survivor."""
    sentences = [
        gettext(
            "Details about other people are theirs, so they are not printed here: family members served with you, "
            "the person who referred you, a guardian, anyone paid on your behalf, and anyone who exploited you."
        )
    ]
    if not sensitive:
        private = [
            gettext("your immigration status"),
            gettext("whether you obtained Continued Presence or a T visa"),
            *(str(part.left_out) for part in every_part if part.sensitive),
        ]
        sentences.append(
            gettext(
                "Some private details are printed only by staff who may see them, so this copy leaves out "
                "%(details)s, if we hold them. Ask your specialist if you want them."
            )
            % {"details": "; ".join(private)}
        )
    if not staff_notes:
        sentences.append(gettext("Notes our staff wrote are not in this copy. Ask your specialist if you want them."))
    return tuple(sentences)


def copy_context(case: Case, *, by: User, staff_notes: bool) -> dict:
    """What the copy shows, in a fixed number of queries however much is recorded.

    Call it inside the language the copy is printed in (the words are translated here).
    """
    survivor = Survivor.objects.select_related("town").get(pk=case.survivor_id)
    cases = enrollments_of(by, case)
    sensitive = permissions.can_see_sensitive(by, case)
    scope = Scope(case_ids=tuple(c.pk for c in cases), sensitive=sensitive, staff_notes=staff_notes and sensitive)
    every_part = parts()
    loaded = [(part, part.load(scope)) for part in every_part if sensitive or not part.sensitive]
    return {
        "name": survivor.display_name,
        "about": record.about_you(survivor, sensitive=sensitive),
        "enrollments": [
            {
                "case": c,
                "parts": tuple(
                    PrintedPart(title=str(part.title), template=part.template, data=data[c.pk], empty="")
                    for part, data in loaded
                    if data.get(c.pk)
                ),
                "nothing": tuple(str(part.title) for part, data in loaded if not data.get(c.pk)),
            }
            for c in cases
        ],
        "left_out": left_out(sensitive=sensitive, staff_notes=scope.staff_notes, every_part=every_part),
        "staff_notes": scope.staff_notes,
        # Who to call: the specialists of the latest enrollment, and the program's phone.
        **addressed(cases[0]),
    }


def build_copy(
    case: Case, *, requested_by: User, progress: Callable[[int], None], parameters: dict
) -> tuple[str, bytes]:
    asked = read_parameters(parameters)
    if asked["staff_notes"] and not permissions.can_see_sensitive(requested_by, case):
        raise Http404  # the permission was lost since asking: nothing is printed
    pdf = render_printout(
        TEMPLATE,
        partial(copy_context, case, by=requested_by, staff_notes=asked["staff_notes"]),
        language=asked["language"],
        progress=progress,
    )
    return f"record-{case.survivor.client_code}.pdf", pdf


def register_builders() -> None:
    """Make the survivor's copy a kind of report, and ``cases``' parts of it (from ``CasesConfig.ready``)."""
    record.register_parts()
    register(
        Builder(
            kind=KIND,
            title=gettext_lazy("The survivor's copy of their record"),
            authorize=permissions.get_case_for,
            label=label,
            build=build_copy,
            read_parameters=read_parameters,
            check_parameters=check_parameters,
            log_reason=log_reason,
            one_at_a_time=True,
        )
    )
