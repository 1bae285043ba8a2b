"""Validation for every form of the cases app, one module per part of the work.

Import forms from here (``from cases.forms import ScreeningForm``).
"""

from cases.forms.intake import (
    YES_NO_UNKNOWN,
    AssignCaseForm,
    CaseFilterForm,
    CaseStatusForm,
    DateInput,
    DuplicateCheckForm,
    EligibilityOverrideForm,
    FamilyMemberForm,
    MandatedReportForm,
    OutcomeForm,
    ReferralForm,
    ScreeningForm,
    StartIntakeForm,
    SurvivorDetailsForm,
    YesNoUnknown,
    check_not_future,
    check_team_members,
    remember_shown_values,
    specialists_in,
    teams_for,
    teams_of,
)

__all__ = [
    "YES_NO_UNKNOWN", "AssignCaseForm", "CaseFilterForm", "CaseStatusForm", "DateInput", "DuplicateCheckForm",
    "EligibilityOverrideForm", "FamilyMemberForm", "MandatedReportForm", "OutcomeForm", "ReferralForm",
    "ScreeningForm", "StartIntakeForm", "SurvivorDetailsForm", "YesNoUnknown", "check_not_future",
    "check_team_members", "remember_shown_values", "specialists_in", "teams_for", "teams_of",
]  # fmt: skip
