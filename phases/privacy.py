"""What each field of the phases app's records is, for the privacy registry (``bloom.privacy``)."""

from bloom import privacy
from phases.models import (
    ActionStep,
    BudgetLine,
    BudgetMonth,
    Goal,
    GoalNote,
    Phase,
    PhaseReview,
    PhaseStay,
    PhaseTemplate,
)

# The program's phases: configuration, written once by an administrator, about no one.
privacy.register(
    PhaseTemplate,
    harmless=("name", "description", "translations"),
)

privacy.register(
    Phase,
    harmless=("name", "purpose", "suggested_domains", "checklist", "translations"),
)

privacy.register(
    PhaseStay,
    case="plan__case",
    narrative=("reason",),
    harmless=("how",),
)

privacy.register(
    PhaseReview,
    case="plan__case",
    narrative=("specialist_note", "survivor_view", "decision_note"),
    harmless=("checklist", "status"),  # the phase's own checklist items, each ticked or not
)

privacy.register(
    Goal,
    case="case",
    narrative=("in_own_words", "staff_summary"),
    harmless=("domain", "status"),
)

privacy.register(
    ActionStep,
    case="goal__case",
    identifying=("partner",),  # the partner organization or person, in free text
    narrative=("description",),
    harmless=("owner",),
)

privacy.register(
    GoalNote,
    case="goal__case",
    narrative=("note",),
)

privacy.register(
    BudgetMonth,
    case="case",
    narrative=("note",),
)

privacy.register(
    BudgetLine,
    case="month__case",
    narrative=("label",),  # "Rent to my cousin": written by people about the survivor's money
    harmless=("kind", "category"),
)
