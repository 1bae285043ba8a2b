"""What every page of a case shares: the header's tabs and the permission flags its templates read."""

from django.shortcuts import render

from bloom.forms import forms_context, show_refusal  # noqa: F401  (re-exported for the case pages)
from cases import permissions, sections


def detail_context(case, tab, perms):
    return {
        "case": case,
        "survivor": case.survivor,
        "tab": tab,
        # What the reader may do on the case, worked out once for the page and every part of it.
        "case_perms": perms,
        "can_change": permissions.CHANGE in perms,
        "can_assign": permissions.ASSIGN in perms,
        "can_see_history": permissions.SEE_HISTORY in perms,
        "can_see_access_log": permissions.SEE_ACCESS_LOG in perms,
        "can_see_sensitive": permissions.SEE_SENSITIVE in perms,
        "can_override": permissions.OVERRIDE_ELIGIBILITY in perms,
        "can_restrict": permissions.RESTRICT in perms,
        "by_emergency_access": permissions.BY_EMERGENCY in perms,
        "sections": sections.for_case(case, perms),
    }


def case_page(request, case, template, context, perms=None):
    perms = perms if perms is not None else permissions.case_perms(request.user, case)
    return render(request, template, {**detail_context(case, "overview", perms), **context})
