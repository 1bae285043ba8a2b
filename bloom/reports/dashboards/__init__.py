"""The role-aware home page: what each person needs first thing in the morning.

Every figure starts from ``cases.permissions.visible_cases``: a dashboard shows nothing
its reader could not open.
"""

from bloom.accounts.models import Role, User
from bloom.reports.dashboards.director import program_totals
from bloom.reports.dashboards.specialist import CASELOAD_ROWS, my_caseload
from bloom.reports.dashboards.supervisor import my_teams
from cases import permissions as case_permissions
from outreach import queries as outreach_queries
from training import queries as training_queries

__all__ = ["CASELOAD_ROWS", "home_sections"]


def home_sections(user: User) -> dict:
    sections = {}
    if user.has_role(Role.SPECIALIST):
        sections["caseload"] = my_caseload(user)
    if user.has_role(Role.SUPERVISOR):
        sections["teams"] = my_teams(user)
    if user.has_role(Role.PROGRAM_DIRECTOR):
        sections["program"] = program_totals(user)
    if sections and case_permissions.may_approve_closures(user):
        sections["closures_waiting"] = case_permissions.closures_to_approve(user).count()
    if sections and case_permissions.can_open_cases(user):
        sections["requests_waiting"] = case_permissions.intake_requests_for(user).count()
    if any(user.has_role(role) for role in (Role.OUTREACH_WORKER, Role.VOLUNTEER)):
        sections["outreach"] = outreach_queries.coming_up(user)
    if user.has_role(Role.TRAINER):
        sections["training"] = training_queries.coming_up(user)
    return sections
