"""Who a service report is about, as much as its reader may be told.

The client code is always printed. The name, and on a staff copy the legal name, birth date
and contact details, are printed when identifying information may go where the report goes:
always for internal use and the survivor's own copy (which names them by the name they use,
and needs none of the rest), and for an organization only under an active release of
information that covers it on the day the report is printed, as for a referral
(``cases.services.sharing.covers``). Otherwise the page says why.

The same releases decide the rest of an organization's copy: a section that prints another
kind of information (the phase journey and goals: the case plan) is left out, and the page
says so, unless an active release for the organization covers that kind too.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext

from bloom.directory.models import Organization
from cases.fields import AS_BUILT, Asked
from cases.models import Case, InformationKind, Release
from cases.service_report import sections
from cases.service_report.sections import PrintedPart


def shared_with(case: Case, organization: Organization, *, on: date) -> frozenset[str]:
    """The kinds of information (``InformationKind``) the releases of ``case`` active on ``on`` let
    go to ``organization``: what any of them allows. One query."""
    releases = Release.objects.filter(case=case, organization=organization)
    return frozenset(kind for release in releases if release.is_active_on(on) for kind in release.information)


def why_withheld(organization: Organization, shared: frozenset[str]) -> tuple[str, ...]:
    """What ``organization``'s copy leaves out when only the kinds ``shared`` may go to it, and why:
    one sentence each, none when nothing is. Call it inside the language the report is printed in."""
    reasons = []
    if InformationKind.IDENTIFYING not in shared:
        reasons.append(
            gettext("No active release of information covers %(org)s; only the client code is printed.")
            % {"org": organization.name}
        )
    labels = dict(InformationKind.choices)
    for kind, left_out in sections.left_out(withheld_kinds(shared)).items():
        reasons.append(
            gettext("Left out, as no active release of information lets %(org)s receive “%(kind)s”: %(parts)s.")
            % {
                "org": organization.name,
                "kind": labels.get(kind, kind),
                "parts": ", ".join(str(section.title) for section in left_out),
            }
        )
    return tuple(reasons)


def withheld_kinds(shared: frozenset[str]) -> frozenset[str]:
    """Every kind of information but those ``shared``."""
    return frozenset(InformationKind.values) - shared


def withheld_from(case: Case, organization: Organization, *, on: date) -> str | None:
    """What ``organization``'s copy of the report on ``case`` leaves out on ``on``, and why, in a
    few sentences for the page; None when the releases cover everything it prints. One query."""
    return " ".join(why_withheld(organization, shared_with(case, organization, on=on))) or None


@dataclass(frozen=True)
class PrintedCase:
    client_code: str
    name: str  # the name they use; empty when it may not be printed
    legal_name: str  # on a staff copy, when it is not the name they use
    date_of_birth: date | None
    phone: str
    email: str
    status: str
    opened_on: date
    closed_on: date | None
    team: str
    specialists: tuple[str, ...]
    parts: tuple[PrintedPart, ...]  # the sections with something in the period, in order
    # What each of the other sections says when it has nothing, gathered in a few lines after them,
    # so that a case of a team's report fits its page.
    nothing: tuple[str, ...]


def printed_case(
    case: Case,
    *,
    identifying: bool,
    own_copy: bool,
    specialists: tuple[str, ...],
    parts: tuple[PrintedPart, ...],
    asked: Asked = AS_BUILT,
) -> PrintedCase:
    """What the report says of ``case`` (loaded with its survivor and team) above its sections;
    the intake fields the director hid (``asked``) are left out."""
    survivor = case.survivor
    details = identifying and not own_copy
    shown = asked.shown["survivor"]
    name = asked.name_of(survivor)
    legal_name = survivor.legal_name if shown["legal_name"] else ""
    return PrintedCase(
        client_code=survivor.client_code,
        name=name if identifying else "",
        legal_name=legal_name if details and name != legal_name else "",
        date_of_birth=survivor.date_of_birth if details and shown["date_of_birth"] else None,
        phone=survivor.phone if details and shown["phone"] else "",
        email=survivor.email if details and shown["email"] else "",
        status=str(case.get_status_display()),
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        team=case.team.name,
        specialists=specialists,
        parts=tuple(part for part in parts if part.data),
        nothing=tuple(part.empty for part in parts if not part.data),
    )
