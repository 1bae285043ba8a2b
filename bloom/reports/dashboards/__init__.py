"""The role-aware home page: what each person needs first thing in the morning.

Every figure starts from ``cases.permissions.visible_cases``: a dashboard shows nothing
its reader could not open.
"""

from bloom.accounts.models import Role, User
from bloom.reports.dashboards.director import program_totals
from bloom.reports.dashboards.specialist import CASELOAD_ROWS, my_tasks
from bloom.reports.dashboards.supervisor import my_teams
from outreach import queries as outreach_queries
from training import queries as training_queries

__all__ = ["CASELOAD_ROWS", "home_sections"]


def home_sections(user: User) -> dict:
    sections = {}
    if user.has_role(Role.SPECIALIST):
        sections["tasks"] = my_tasks(user)
    if user.has_role(Role.SUPERVISOR):
        sections["teams"] = my_teams(user)
    if user.has_role(Role.PROGRAM_DIRECTOR):
        sections["program"] = program_totals(user)
    if sections:
        # What waits on the person's decision is counted once per request, with the header's
        # (``nav_waiting``: reports/home/_waiting.html).
        sections["waiting"] = True
    if any(user.has_role(role) for role in (Role.OUTREACH_WORKER, Role.VOLUNTEER)):
        sections["outreach"] = outreach_queries.coming_up(user)
    if user.has_role(Role.TRAINER):
        sections["training"] = training_queries.coming_up(user)
    return sections
