"""A small program whose team figures are counted by hand, for the team dashboard and the case list.

Team A (supervised by the world's supervisor and by Tess, who also supervises team B):

=============  ==========  ============  =====================================================
case           status      specialists   what it needs
=============  ==========  ============  =====================================================
case_a         open        Sam           nothing; reached today
over           open        Sam           contact overdue (40 days, an attempt today); in Heal
                                         since today; a release expiring in 20 days; a
                                         closure asked for
shared         open        Sam, Cora     contact overdue (210 days); in Strengthen since 200
                                         days ago; a goal with a step overdue; a safety plan
                                         to review in 3 days; money asked for; a move asked for
unassigned     open        nobody        contact overdue (60 days); a shelter stay begun 55
                                         days ago, near its two months
minor          intake      Cora          a minor with no Careline report
closed         closed      Cora          closed today
restricted     open        Sam           contact overdue (30 days); restricted, naming the
                                         director only: the supervisors do not count it
=============  ==========  ============  =====================================================

Team B: case_b (open, Otto) and b_over (open, Otto, contact overdue). A request for help waits
in team A's intake queue.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from bloom.accounts.models import Role, User
from bloom.accounts.services import set_team_supervisors
from cases import services
from cases.models import Case, Contact, InformationKind
from cases.services import inbox
from phases.services import goals as goal_services
from phases.services import journey as journey_services
from tests.factories import (
    ask_money,
    ask_to_close,
    ask_to_move,
    close_case,
    make_case,
    make_fund,
    make_user,
    request_for_help,
    shelter_stay,
    start_plan,
)

RISK = {
    "source": "trafficker",
    "kind": "physical harm",
    "methods": ["threats"],
    "description": "He knows her bus route.",
    "strategies": "Take the other bus.",
}


@dataclass
class TeamProgram:
    world: object
    tess: User  # supervises team A and team B
    case_a: Case
    over: Case
    shared: Case
    unassigned: Case
    minor: Case
    closed: Case
    restricted: Case
    case_b: Case
    b_over: Case

    def team_a(self) -> list[Case]:
        """Team A's cases as its supervisors see them (the restricted one left out)."""
        return [self.case_a, self.over, self.shared, self.unassigned, self.minor, self.closed]


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def build_team_program(world) -> TeamProgram:
    w, today = world, timezone.localdate()
    tess = make_user(Role.SUPERVISOR, full_name="Tess Twoteams")
    set_team_supervisors(w.team_a, supervisors=[w.supervisor, tess], by=None)
    set_team_supervisors(w.team_b, supervisors=[*w.team_b.supervisors.all(), tess], by=None)

    over = make_case(team=w.team_a, specialists=[w.specialist], legal_name="Olga Over", opened_on=days_ago(40))
    shared = make_case(
        team=w.team_a, specialists=[w.specialist, w.colleague], legal_name="Sara Shared", opened_on=days_ago(210)
    )
    unassigned = make_case(team=w.team_a, specialists=[], legal_name="Una Alone", opened_on=days_ago(60))
    minor = services.start_intake(
        by=w.colleague,
        team=w.team_a,
        specialists=[w.colleague],
        details={"legal_name": "Mina Minor", "date_of_birth": date(today.year - 16, 1, 1)},
        opened_on=today,
    )
    closed = make_case(team=w.team_a, specialists=[w.colleague], legal_name="Cleo Closed", opened_on=days_ago(100))
    close_case(closed, by=w.colleague, approver=w.supervisor, closed_on=today)
    restricted = make_case(
        team=w.team_a, specialists=[w.specialist], legal_name="Rita Restricted", opened_on=days_ago(30)
    )
    services.set_restriction(restricted, by=w.director, restricted=True, named=[w.director])
    b_over = make_case(team=w.team_b, specialists=[w.outsider], legal_name="Bo Over", opened_on=days_ago(30))

    now = timezone.now() - timedelta(minutes=5)
    for case, kind in ((w.case_a, Contact.Kind.PHONE), (over, Contact.Kind.ATTEMPT), (restricted, Contact.Kind.PHONE)):
        services.log_contact(case, by=w.specialist, kind=kind, occurred_at=now, initiated_by=Contact.Initiator.STAFF)
    # The restricted case's contact reached the survivor a month ago: still overdue.
    Contact.objects.filter(case=restricted).update(occurred_at=now - timedelta(days=29))
    services.store_last_contact(restricted)  # the update skipped the service that keeps the last contact

    journey_services.sign_off_move(ask_to_move(start_plan(over, w.specialist), w.specialist), by=w.supervisor)
    ask_to_move(start_plan(shared, w.specialist, started_on=days_ago(200)), w.specialist)
    goal = goal_services.set_goal(shared, by=w.specialist, in_own_words="A place of my own", domain="housing")
    goal_services.add_step(goal, by=w.specialist, description="Call the housing office", owner="survivor",
                           due_on=days_ago(1))  # fmt: skip
    services.save_safety_plan(
        shared, by=w.specialist, risks=[RISK], people=[], places=[], review_on=today + timedelta(3)
    )
    services.record_release(
        over,
        by=w.specialist,
        organization=None,
        recipient="Legal aid clinic",
        information=[InformationKind.IDENTIFYING],
        purpose="Legal help.",
        signed_on=days_ago(40),
        expires_on=today + timedelta(days=20),
    )
    shelter_stay(unassigned, w.supervisor, started_on=days_ago(55))
    ask_to_close(over, by=w.specialist)
    ask_money(shared, w.specialist, make_fund(w.director))
    inbox.receive(request_for_help(w.team_a), by=w.outreach)
    return TeamProgram(w, tess, w.case_a, over, shared, unassigned, minor, closed, restricted, w.case_b, b_over)
