"""Printing service reports: who may have them, what the access log says, and building the PDF.

Two kinds of report, built by the worker through ``bloom.reports`` (``register_builders``):

* ``case_service_report``: one case, for whoever may see it (``permissions.get_case_for``),
  made for the survivor's own copy, for internal use, or for an organization in the directory.
* ``team_service_report``: every case of a team that was enrolled at some time in the period and
  that the person may see (a restriction that does not name them leaves its case out), one
  page each, for internal use, for the team's supervisors only.

Notes are printed only on an internal copy, when asked for by someone who may see sensitive
details. For an organization, what its active releases allow (its name, the case plan) is
worked out again when the PDF is built, on the day it is built: a release revoked since asking
counts as revoked.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bloom.access import active, get_or_404
from bloom.accounts.models import Team, User
from bloom.directory.models import Organization
from bloom.reports.builders import Builder, register
from bloom.reports.pdf import render_pdf
from bloom.reports.printouts import asked_language
from bloom.said import Said
from cases import fields, permissions
from cases.models import Case, CaseAssignment, InformationKind, ProgramSettings
from cases.service_report import sections
from cases.service_report.forms import Audience, ServiceReportForm, TeamServiceReportForm, without_notes_outside
from cases.service_report.subjects import PrintedCase, printed_case, shared_with, why_withheld, withheld_kinds

CASE_KIND = "case_service_report"
TEAM_KIND = "team_service_report"
TEMPLATE = "cases/service_report_pdf.html"


# Who may have them ---------------------------------------------------------------------------


def authorize_case(user: User, case_id: int) -> Case:
    """The case if ``user`` may see it, else Http404."""
    return permissions.get_case_for(user, case_id)


def authorize_team(user: User, team_id: int) -> Team:
    """The team if ``user`` supervises it, else Http404 (the same answer as for a missing team)."""
    if not active(user):
        raise Http404
    return get_or_404(Team.objects.filter(supervisors=user), pk=team_id)


def team_cases(user: User, team: Team, *, start: date, end: date) -> QuerySet[Case]:
    """The cases of ``team`` that ``user`` may see and that were enrolled on a day of the period."""
    return (
        permissions.visible_cases(user)
        .filter(team=team, status__in=Case.ENROLLED_STATUSES, opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .select_related("survivor", "team")
        .order_by("survivor__client_code", "pk")
    )


def nothing_in_period() -> str:
    """What the team's page says when no case of the team was enrolled in the period asked for."""
    return gettext("No case of this team was enrolled in this period: there is nothing to print.")


def may_include_notes_for_team(user: User) -> bool:
    """Whether ``user`` may print the notes of a team's cases. Every case printed is one they see,
    and the sensitive-details capability applies to every case one sees (``permissions.case_perms``),
    so the role decides it for all of them at once."""
    return permissions.may_see_sensitive(user)


# Reading what was asked ----------------------------------------------------------------------


def _read(form) -> dict:
    if not form.is_valid():
        raise ValidationError([message for errors in form.errors.values() for message in errors])
    return form.parameters()


def case_parameters(data) -> dict:
    """The period, audience and notes in a request's ``data``, checked as the report's page checks them."""
    return _read(ServiceReportForm(data))


def team_parameters(data) -> dict:
    return _read(TeamServiceReportForm(data))


def check_case_parameters(user: User, case: Case, parameters: dict) -> None:
    """Refuse notes to someone who may not see the case's sensitive details, as the page does."""
    if parameters.get("notes") and not permissions.can_see_sensitive(user, case):
        raise ValidationError(gettext("Notes are printed only for people who may see sensitive details."))


def check_team_parameters(user: User, team: Team, parameters: dict) -> None:
    if parameters.get("notes") and not may_include_notes_for_team(user):
        raise ValidationError(gettext("Notes are printed only for people who may see sensitive details."))


def case_label(case: Case) -> str:
    """The access log's label: the client code, never a name."""
    return case.survivor.client_code


def team_label(team: Team) -> str:
    return f"team {team.name}"[:100]


def case_reason(parameters: dict) -> Said:
    """The access log's reason: whom the report was for, its period and whether notes are printed
    (asked for on an internal copy: on any other, they are left out whatever was asked)."""
    parameters = without_notes_outside(parameters)
    period = {"start": parameters.get("start"), "end": parameters.get("end")}
    audience = parameters.get("audience")
    if audience == Audience.ORGANIZATION:
        # Named as it was when printed: the access log says what left the program, and to whom.
        organization = Organization.objects.filter(pk=parameters.get("organization") or None).first()
        whom = f"{organization.name} (#{organization.pk})" if organization else "?"
        return Said("log.service_report_organization", organization=whom, **period)
    if audience == Audience.SURVIVOR:
        return Said("log.service_report_own", **period)
    notes = "_notes" if parameters.get("notes") else ""
    return Said(f"log.service_report_internal{notes}", **period)


def team_reason(parameters: dict) -> Said:
    notes = "_notes" if parameters.get("notes") else ""
    return Said(f"log.team_report{notes}", start=parameters.get("start"), end=parameters.get("end"))


# Building ------------------------------------------------------------------------------------


def build_case_report(
    case: Case, *, requested_by: User, progress: Callable[[int], None], parameters: dict
) -> tuple[str, bytes]:
    # Notes stored for the survivor or an organization (asked for before the rule) are left out.
    form = ServiceReportForm(without_notes_outside(parameters))
    if not form.is_valid():
        raise ValueError(f"Parameters no longer valid: {form.errors.as_json()}")
    asked = form.cleaned_data
    if asked["notes"] and not permissions.can_see_sensitive(requested_by, case):
        raise Http404  # the permission was lost since: nothing is printed
    organization = asked["organization"]
    # What the releases active today let go to the organization: one revoked since asking no longer counts.
    shared = shared_with(case, organization, on=timezone.localdate()) if organization else None
    audience = asked["audience"]
    own_copy = audience == Audience.SURVIVOR
    scope = sections.Scope(
        case_ids=(case.pk,),
        start=asked["start"],
        end=asked["end"],
        notes=asked["notes"] and audience == Audience.INTERNAL,
        identifying=shared is None or InformationKind.IDENTIFYING in shared,
        own_copy=own_copy,
        withheld_kinds=withheld_kinds(shared) if shared is not None else frozenset(),
    )
    # The survivor's own copy is in the language chosen on the form (else theirs); the others are
    # in the language of the person printing, which the worker is already in.
    language = (
        asked_language(asked, preferred=case.survivor.preferred_language) if own_copy else translation.get_language()
    )
    with translation.override(language):
        progress(30)
        context = report_context(
            [case], scope=scope, audience=audience, requested_by=requested_by, organization=organization
        )
        withheld = why_withheld(organization, shared) if shared is not None else ()
        context |= {"withheld": withheld, "language": language}
        progress(60)
        pdf = render_pdf(TEMPLATE, context)
    progress(90)
    return f"service-report-{case.survivor.client_code}-{scope.start}-{scope.end}.pdf", pdf


def build_team_report(
    team: Team, *, requested_by: User, progress: Callable[[int], None], parameters: dict
) -> tuple[str, bytes]:
    form = TeamServiceReportForm(parameters)
    if not form.is_valid():
        raise ValueError(f"Parameters no longer valid: {form.errors.as_json()}")
    asked = form.cleaned_data
    if asked["notes"] and not may_include_notes_for_team(requested_by):
        raise Http404
    cases = list(team_cases(requested_by, team, start=asked["start"], end=asked["end"]))
    scope = sections.Scope(
        case_ids=tuple(case.pk for case in cases),
        start=asked["start"],
        end=asked["end"],
        notes=asked["notes"],
        identifying=True,
    )
    # In the language of the person printing, which the worker is already in.
    language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        progress(30)
        context = report_context(cases, scope=scope, audience=Audience.INTERNAL, requested_by=requested_by)
        context |= {"team": team.name, "language": language}
        progress(60)
        pdf = render_pdf(TEMPLATE, context)
    progress(90)
    return f"service-report-{slugify(team.name) or team.pk}-{scope.start}-{scope.end}.pdf", pdf


def report_context(
    cases: list[Case],
    *,
    scope: sections.Scope,
    audience: str,
    requested_by: User,
    organization: Organization | None = None,
) -> dict:
    """What the PDF shows, in a fixed number of queries whatever the number of cases.

    Call it inside the language the report is printed in.
    """
    own_copy = audience == Audience.SURVIVOR
    parts = sections.parts(scope)
    specialists = _specialists(scope.case_ids)
    asked = fields.current()
    printed: list[PrintedCase] = [
        printed_case(
            case,
            identifying=scope.identifying,
            own_copy=own_copy,
            specialists=specialists.get(case.pk, ()),
            parts=parts[case.pk],
            asked=asked,
        )
        for case in cases
    ]
    return {
        "audience": audience,
        "own_copy": own_copy,
        "cases": printed,
        "start": scope.start,
        "end": scope.end,
        "notes": scope.notes,
        "printed_on": timezone.localdate(),
        # Staff copies say who printed them; the survivor's own copy names no staff member but theirs.
        "printed_by": "" if own_copy else requested_by.full_name,
        "recipient": organization.name if organization else "",
        "program_phone": _program_phone() if own_copy else "",
    }


def _specialists(case_ids: tuple[int, ...]) -> dict[int, tuple[str, ...]]:
    """Each case's assigned specialists' names, in one query."""
    names: dict[int, list[str]] = defaultdict(list)
    assigned = CaseAssignment.objects.filter(case_id__in=case_ids).select_related("specialist")
    for assignment in assigned.order_by("specialist__full_name"):
        names[assignment.case_id].append(assignment.specialist.full_name)
    return {case_id: tuple(people) for case_id, people in names.items()}


def _program_phone() -> str:
    # Read, never made: the settings row is created where it is edited.
    return ProgramSettings.objects.filter(pk=1).values_list("phone", flat=True).first() or ""


def register_builders() -> None:
    register(
        Builder(
            kind=CASE_KIND,
            title=_("Service report"),
            authorize=authorize_case,
            label=case_label,
            build=build_case_report,
            read_parameters=case_parameters,
            check_parameters=check_case_parameters,
            log_reason=case_reason,
            one_at_a_time=True,
        )
    )
    register(
        Builder(
            kind=TEAM_KIND,
            title=_("Team service report"),
            authorize=authorize_team,
            label=team_label,
            build=build_team_report,
            read_parameters=team_parameters,
            check_parameters=check_team_parameters,
            log_reason=team_reason,
            one_at_a_time=True,
        )
    )
