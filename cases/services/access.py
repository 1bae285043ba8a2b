"""Who may open a case beyond the usual rules: restricting a case to the people named on it,
and emergency access to a case outside one's caseload."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bloom.accounts.models import Role, User
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify
from bloom.said import Said, looks_like_a_code
from cases import permissions
from cases.models import Case, EmergencyAccess, NamedPerson
from cases.services.common import delete, save


class AccessError(ValidationError):
    """A restriction or an emergency access the rules do not allow; the message says why."""


@transaction.atomic
def set_restriction(case: Case, *, by: User, restricted: bool, named: list[User]) -> Case:
    """Restrict ``case`` to its assigned specialists and ``named``, or lift the restriction.

    Side effects: the people named besides the specialists are replaced by ``named``
    (cleared when the restriction is lifted); whoever is not named loses sight of the case
    at once, ``by`` included. Refused unless ``by`` may restrict the case, everyone named
    could see the case anyway, and someone named may change the restriction later.
    """
    case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    if not permissions.can_restrict(by, case):
        raise PermissionDenied
    named = list({person.pk: person for person in named}.values()) if restricted else []
    candidates = set(permissions.restriction_candidates(case).values_list("pk", flat=True))
    outside = [person for person in named if person.pk not in candidates]
    if outside:
        raise AccessError(
            _("Only the team's supervisors and the program director can be named: %(names)s cannot.")
            % {"names": ", ".join(sorted(person.full_name for person in outside))}
        )
    if restricted and not any(person.has_perm(f"cases.{permissions.RESTRICT}") for person in named):
        raise AccessError(
            _("Name at least one supervisor or program director, so that the restriction can be changed later.")
        )
    current = {row.user_id: row for row in case.named_people.all()}
    wanted = {person.pk for person in named}
    for user_id, row in current.items():
        if user_id not in wanted:
            delete(row, by=by, reason=Said("named_person.removed"))
    for person in named:
        if person.pk not in current:
            save(NamedPerson(case=case, user=person, added_by=by), by=by, reason=Said("named_person.added"))
    if case.restricted != restricted:
        case.restricted = restricted
        reason = Said("case.restricted" if restricted else "case.restriction_lifted")
        save(case, by=by, reason=reason, fields=["restricted"])
    if restricted:
        # Reminders already sent carry the client code: those no longer allowed to see the
        # case should not keep it in their list either.
        about_case = Notification.objects.filter(url__startswith=f"/cases/{case.pk}/")
        allowed = permissions.named_among(case, about_case.values_list("recipient", flat=True).distinct())
        about_case.exclude(recipient__in=allowed).delete()
    return case


@transaction.atomic
def open_in_emergency(case: Case, *, by: User, reason: str) -> EmergencyAccess:
    """Let ``by`` see and change ``case`` for ``settings.BLOOM_EMERGENCY_ACCESS``, for ``reason``.

    Side effects: the case's supervisors (or, on a team without one, the program
    directors) are told who opened it. The caller writes the access-log entry, which needs
    the request. Refused for a role without emergency access, a restricted case, or an
    empty reason.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("survivor", "team").get(pk=case.pk)
    if not permissions.may_open_in_emergency(by):
        raise PermissionDenied
    if permissions.survivor_restricted(case):
        raise AccessError(_("A restricted case cannot be opened in an emergency. Ask the people named on it."))
    reason = reason.strip()
    if not reason:
        raise AccessError(_("Write why you need to open this case."))
    if looks_like_a_code(reason):
        # The access log keeps this reason beside the reasons Bloom writes, stored as codes.
        raise AccessError(_("Write this in your own words: it reads like a code Bloom uses."))
    now = timezone.now()
    grant = EmergencyAccess(
        case=case, user=by, reason=reason, granted_at=now, expires_at=now + settings.BLOOM_EMERGENCY_ACCESS
    )
    save(grant, by=by, reason=Said("emergency.opened"))
    recipients = [s.pk for s in case.team.supervisors.all() if s.pk != by.pk] or list(
        _program_directors().exclude(pk=by.pk).values_list("pk", flat=True)
    )
    notify(
        Notice(
            recipient_id=recipient,
            kind=Notification.Kind.EMERGENCY_ACCESS,
            data={"code": case.survivor.client_code, "who": by.full_name},
            url=reverse("cases:access_log", args=[case.pk]),
            dedupe_key=f"emergency:{grant.pk}",
        )
        for recipient in recipients
    )
    return grant


def _program_directors():
    return User.objects.filter(groups__name=Role.PROGRAM_DIRECTOR, is_active=True).distinct()
