"""The demo's case plans: where each open demo case stands, its goals and its budget.

Registered with ``cases.demo.register_demo`` and run once for each enrolled demo case,
through the same services the pages use, so every record has its history. Everything
here is made up.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from bloom.accounts.models import User
from cases.models import Case
from phases.models import ActionStep, BudgetLine, Goal, GoalDomain, PhaseTemplate
from phases.services import budget, goals, journey

# (in the survivor's words, staff summary, area of life, the first steps and who does them)
DEMO_GOALS = [
    (
        "A place of my own where my kids can visit",
        "Stable housing; application with the housing authority",
        GoalDomain.HOUSING,
        [
            ("Fill in the housing application", ActionStep.Owner.SURVIVOR),
            ("Call the landlord", ActionStep.Owner.SPECIALIST),
        ],
    ),
    (
        "Get a job where I am treated right",
        "Employment; resume and two applications a week",
        GoalDomain.INCOME,
        [("Write a resume at the job center", ActionStep.Owner.SURVIVOR)],
    ),
    (
        "Sleep through the night again",
        "Trauma counseling; referral made",
        GoalDomain.MENTAL_HEALTH,
        [("First session with the counselor", ActionStep.Owner.PARTNER)],
    ),
    (
        "Finish my GED",
        "Education; adult education evening classes",
        GoalDomain.EDUCATION,
        [("Sign up for the evening class", ActionStep.Owner.SURVIVOR)],
    ),
    (
        "Know where I stand with immigration",
        "Legal; consultation on T visa eligibility",
        GoalDomain.LEGAL,
        [("Meet the immigration attorney", ActionStep.Owner.PARTNER)],
    ),
    (
        "Go back to church on Sundays",
        "Spiritual; survivor's own congregation",
        GoalDomain.SPIRITUAL,
        [("Find the bus route to church", ActionStep.Owner.SURVIVOR)],
    ),
]

DEMO_BUDGET = [
    (BudgetLine.Kind.INCOME, BudgetLine.Category.WAGES, "Part-time job", Decimal("1150.00")),
    (BudgetLine.Kind.INCOME, BudgetLine.Category.BENEFITS, "SNAP", Decimal("280.00")),
    (BudgetLine.Kind.EXPENSE, BudgetLine.Category.RENT, "Rent", Decimal("850.00")),
    (BudgetLine.Kind.EXPENSE, BudgetLine.Category.FOOD, "Groceries", Decimal("320.00")),
    (BudgetLine.Kind.EXPENSE, BudgetLine.Category.TRANSPORTATION, "Bus pass", Decimal("65.00")),
    (BudgetLine.Kind.EXPENSE, BudgetLine.Category.PHONE, "Phone", Decimal("45.00")),
]


def demo_case_plan(rng: random.Random, case: Case, specialist: User, until: date) -> None:
    """For most open cases: a plan, moved on as time allows, a few goals and a budget or two."""
    case.refresh_from_db()  # a closure may have been approved on another copy of the case
    if not case.is_open or rng.random() < 0.2:
        return
    today = until
    started_on = min(case.opened_on + timedelta(days=rng.randint(3, 20)), today)
    plan = journey.start_plan(
        case,
        by=specialist,
        template=PhaseTemplate.objects.get(in_use=True),
        started_on=started_on,
        expected_months=rng.choice([12, 12, 15, 18]),
    )
    _move_on(rng, plan, specialist, today)
    _goals(rng, case, specialist, today)
    _budget(rng, case, specialist, today)


def _move_on(rng: random.Random, plan, specialist: User, today: date) -> None:
    supervisor = plan.case.team.supervisors.order_by("email").first()
    entered_on = plan.started_on
    for days_in_phase in (rng.randint(100, 150), rng.randint(120, 180)):
        move_on = entered_on + timedelta(days=days_in_phase)
        if move_on > today or supervisor is None:
            return
        current = plan.stays.select_related("phase").get(left_on__isnull=True)
        review = journey.request_move(
            plan,
            by=specialist,
            done=[True] * len(current.phase.checklist),
            specialist_note="The checklist is met; we talked it through at the last two visits.",
            survivor_view="I feel ready for the next part.",
            move_on=move_on,
        )
        if rng.random() < 0.15:  # a few wait in the supervisor's queue
            return
        journey.sign_off_move(review, by=supervisor)
        entered_on = move_on


def _goals(rng: random.Random, case: Case, specialist: User, today: date) -> None:
    for words, summary, domain, steps in rng.sample(DEMO_GOALS, k=rng.randint(1, 3)):
        goal = goals.set_goal(
            case,
            by=specialist,
            in_own_words=words,
            staff_summary=summary,
            domain=domain,
            target_on=today + timedelta(days=rng.randint(30, 200)),
            priority=rng.choice(Goal.Priority.values),
        )
        for description, owner in steps:
            goals.add_step(
                goal,
                by=specialist,
                description=description,
                owner=owner,
                partner="Community counseling center" if owner == ActionStep.Owner.PARTNER else "",
                # Some are overdue, so the morning reminder has something to say.
                due_on=max(today + timedelta(days=rng.randint(-10, 30)), case.opened_on),
            )
        if rng.random() < 0.5:
            goals.change_goal_status(goal, by=specialist, status=Goal.Status.IN_PROGRESS)


def _budget(rng: random.Random, case: Case, specialist: User, today: date) -> None:
    month = budget.first_of_month(today)
    months = []
    for _ in range(rng.randint(0, 3)):
        if month < budget.earliest_month_allowed(case):
            break
        months.append(month)
        month = budget.first_of_month(month - timedelta(days=1))
    for month in reversed(months):
        worksheet = budget.start_budget_month(case, by=specialist, month=month)
        kept = {(line.kind, line.category): line.pk for line in worksheet.lines.all()}
        lines = [
            budget.LineInput(
                id=kept.get((kind, category)),
                kind=kind,
                category=category,
                label=label,
                amount=amount + Decimal(rng.randint(-40, 40)),
            )
            for kind, category, label, amount in DEMO_BUDGET
        ]
        budget.save_budget_lines(worksheet, by=specialist, lines=lines, note="")
