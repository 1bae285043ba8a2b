"""Who may see and change outreach's records.

Outreach holds no survivor record, so this is not ``cases.permissions``: it answers from
the role's model permissions (``outreach/migrations/0002_role_permissions.py``), and for a
volunteer who signs in, from their own volunteer record. The rules:

* Outreach workers, supervisors and the program director see every session, partnership
  activity and the dashboard; outreach workers log and change sessions, pass requests for
  help to intake and manage volunteers (the director may read the volunteer list).
* A volunteer who signs in sees only the sessions they were on and their own hours, never
  another volunteer's record.
* A record outside the reader's sight is a 404, like a missing one; one they may see but
  not change is a 403.
"""

from django.db.models import QuerySet

from bloom.access import active, get_or_404, holds
from bloom.accounts.models import Role, User
from outreach.models import OutreachSession, PartnershipActivity, Volunteer

SEE_SESSIONS = "outreach.view_outreachsession"
LOG_SESSIONS = "outreach.add_outreachsession"
CHANGE_SESSIONS = "outreach.change_outreachsession"
PASS_TO_INTAKE = "outreach.pass_to_intake"  # noqa: S105 (a permission, not a password)
SEE_VOLUNTEERS = "outreach.view_volunteer"
ADD_VOLUNTEERS = "outreach.add_volunteer"
CHANGE_VOLUNTEERS = "outreach.change_volunteer"
SEE_PARTNERSHIPS = "outreach.view_partnershipactivity"
ADD_PARTNERSHIPS = "outreach.add_partnershipactivity"
CHANGE_PARTNERSHIPS = "outreach.change_partnershipactivity"
SEE_DASHBOARD = "outreach.view_outreach_dashboard"


def own_volunteer(user: User) -> Volunteer | None:
    """The volunteer record ``user`` signs in as, if they still hold the volunteer role."""
    if not active(user) or not user.has_role(Role.VOLUNTEER):
        return None
    return Volunteer.objects.filter(user=user).first()


def visible_sessions(user: User) -> QuerySet[OutreachSession]:
    """Every session for the roles that follow the work; a volunteer's own sessions; else none."""
    if not active(user):
        return OutreachSession.objects.none()
    if user.has_perm(SEE_SESSIONS):
        return OutreachSession.objects.all()
    if not user.has_role(Role.VOLUNTEER):
        return OutreachSession.objects.none()
    return OutreachSession.objects.filter(volunteers__user=user)


def get_session_for(user: User, pk) -> OutreachSession:
    """The session ``pk`` if ``user`` may see it, else ``Http404``."""
    return get_or_404(visible_sessions(user).select_related("town", "lead"), pk=pk)


def visible_volunteers(user: User) -> QuerySet[Volunteer]:
    return Volunteer.objects.all() if holds(user, SEE_VOLUNTEERS) else Volunteer.objects.none()


def get_volunteer_for(user: User, pk) -> Volunteer:
    return get_or_404(visible_volunteers(user).select_related("user"), pk=pk)


def visible_partnerships(user: User) -> QuerySet[PartnershipActivity]:
    return PartnershipActivity.objects.all() if holds(user, SEE_PARTNERSHIPS) else PartnershipActivity.objects.none()


def get_partnership_for(user: User, pk) -> PartnershipActivity:
    return get_or_404(visible_partnerships(user).select_related("organization", "recorded_by"), pk=pk)
