from django.conf import settings
from django.utils.functional import SimpleLazyObject

from bloom.accounts.models import Role
from bloom.reports.dashboards import waiting

CASE_ROLES = {Role.SPECIALIST, Role.SUPERVISOR, Role.PROGRAM_DIRECTOR}
# The roles given assistance.view_fund (assistance/migrations/0002_role_permissions.py): read
# from the roles already loaded for the menu, so the menu costs no permission query.
ASSISTANCE_ROLES = {*CASE_ROLES, Role.FINANCE}
# The roles given outreach's permissions (outreach/migrations/0002_role_permissions.py), and
# volunteers, who see their own sessions.
OUTREACH_ROLES = {Role.SUPERVISOR, Role.PROGRAM_DIRECTOR, Role.OUTREACH_WORKER, Role.VOLUNTEER}
# The roles given training's permissions (training/migrations/0002_defaults.py).
TRAINING_ROLES = {Role.SUPERVISOR, Role.PROGRAM_DIRECTOR, Role.TRAINER}
# The role given reports.produce_program_reports (bloom/reports/migrations/0005). A role given
# it later reaches the reports from the home page; the menu costs no permission query.
REPORT_ROLES = {Role.PROGRAM_DIRECTOR}
# The role given cases.manage_intake_fields (cases/migrations/0016), read the same way.
INTAKE_FIELD_ROLES = {Role.PROGRAM_DIRECTOR}


def bloom(request):
    user = getattr(request, "user", None)
    nav_cases = bool(user and user.is_authenticated and any(user.has_role(role) for role in CASE_ROLES))
    return {
        "BLOOM_DEMO": settings.DEMO,
        "nav_cases": nav_cases,
        "nav_assistance": bool(
            user and user.is_authenticated and any(user.has_role(role) for role in ASSISTANCE_ROLES)
        ),
        "nav_outreach": bool(user and user.is_authenticated and any(user.has_role(role) for role in OUTREACH_ROLES)),
        "nav_training": bool(user and user.is_authenticated and any(user.has_role(role) for role in TRAINING_ROLES)),
        "nav_reports": bool(user and user.is_authenticated and any(user.has_role(role) for role in REPORT_ROLES)),
        "nav_intake_fields": bool(
            user and user.is_authenticated and any(user.has_role(role) for role in INTAKE_FIELD_ROLES)
        ),
        # The queues waiting on the person (closures, money, phase moves, requests for help): shown
        # in the header to those who decide, and on the home page; counted only when shown.
        "nav_decide": waiting.decides(user),
        "nav_waiting": SimpleLazyObject(lambda: waiting.for_request(request)),
        "LOCKOUT_MINUTES": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "REPORT_RETENTION_HOURS": int(settings.BLOOM_REPORT_RETENTION.total_seconds() // 3600),
    }
