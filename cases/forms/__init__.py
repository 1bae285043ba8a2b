"""Validation for every form of the cases app, one module per part of the work.

Import forms from here (``from cases.forms import ScreeningForm``).
"""

from cases.forms.access import EmergencyAccessForm, RestrictionForm, TimelineFilterForm
from cases.forms.catalogue import FunderCodeForm, ServiceForm
from cases.forms.closure import ClosureDecisionForm, ClosureRequestForm, ReenrollForm
from cases.forms.contacts import ContactCadenceForm, ContactForm, StageForm
from cases.forms.intake import (
    YES_NO_UNKNOWN,
    AssignCaseForm,
    CloseRequestForm,
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
    remember_shown_values,
    specialists_in,
    teams_for,
    teams_of,
)
from cases.forms.listing import CaseFilterForm, MonthField
from cases.forms.sharing import (
    DocumentDeleteForm,
    DocumentForm,
    NewReferralForm,
    ReferralStatusForm,
    ReleaseForm,
    RevokeReleaseForm,
    UploadField,
)

__all__ = [
    "YES_NO_UNKNOWN", "AssignCaseForm", "CaseFilterForm", "CloseRequestForm", "DateInput", "DuplicateCheckForm",
    "EligibilityOverrideForm", "FamilyMemberForm", "MandatedReportForm", "OutcomeForm", "ReferralForm",
    "ScreeningForm", "StartIntakeForm", "SurvivorDetailsForm", "YesNoUnknown", "check_not_future",
    "remember_shown_values", "specialists_in", "teams_for", "teams_of",
]  # fmt: skip
__all__ += ["ContactCadenceForm", "ContactForm", "StageForm"]
__all__ += [
    "DocumentDeleteForm", "DocumentForm", "NewReferralForm", "ReferralStatusForm", "ReleaseForm", "RevokeReleaseForm",
    "UploadField",
]  # fmt: skip
__all__ += ["ClosureDecisionForm", "ClosureRequestForm", "ReenrollForm"]
__all__ += ["EmergencyAccessForm", "RestrictionForm", "TimelineFilterForm"]
__all__ += ["FunderCodeForm", "ServiceForm"]
__all__ += ["MonthField"]
