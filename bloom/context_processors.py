from django.conf import settings

from bloom.accounts.models import Role

CASE_ROLES = {Role.SPECIALIST, Role.SUPERVISOR, Role.PROGRAM_DIRECTOR}


def bloom(request):
    user = getattr(request, "user", None)
    nav_cases = bool(user and user.is_authenticated and any(user.has_role(role) for role in CASE_ROLES))
    return {
        "BLOOM_DEMO": settings.DEMO,
        "nav_cases": nav_cases,
        "nav_assistance": bool(user and user.is_authenticated and user.has_perm("assistance.view_fund")),
        "LOCKOUT_MINUTES": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "REPORT_RETENTION_HOURS": int(settings.BLOOM_REPORT_RETENTION.total_seconds() // 3600),
    }
