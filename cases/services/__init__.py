"""Every change to survivors and cases. Each service leaves a history row with its author.

One module per part of the work; import services from here (``from cases import services``).
"""

from cases.services.access import AccessError, open_in_emergency, set_restriction
from cases.services.catalogue import (
    CatalogueError,
    CodeDetails,
    ServiceDetails,
    add_funder_code,
    add_service,
    may_manage_catalogue,
    record_codes_reported,
    update_funder_code,
    update_service,
)
from cases.services.closure import (
    ClosureError,
    approve_closure,
    reenroll,
    request_closure,
    return_closure,
    withdraw_closure,
)
from cases.services.contacts import (
    ContactError,
    contact_overdue_key,
    correct_contact,
    default_contact_cadence,
    log_contact,
    record_stage,
    send_contact_reminders,
    set_contact_cadence,
    store_last_contact,
    store_last_contacts,
)
from cases.services.inbox import IntakeRequestError, close_request, receive, start_intake_from
from cases.services.intake import (
    CASE_FIELDS,
    CLIENT_CODE_ATTEMPTS,
    GUARDIAN_FIELDS,
    SURVIVOR_FIELDS,
    IntakeError,
    add_family_member,
    ask_for_careline_report,
    assign_case,
    careline_key,
    enroll,
    open_case,
    override_eligibility,
    record_mandated_report,
    record_not_enrolled,
    record_screening,
    remove_family_member,
    send_careline_reminders,
    start_intake,
    update_case,
)
from cases.services.safety import SafetyPlanError, default_numbers, save_safety_plan, send_safety_review_reminders
from cases.services.sharing import (
    MadeReferral,
    SharingError,
    add_document,
    covers,
    delete_document,
    latest_expiry,
    make_referral,
    record_release,
    release_date_problems,
    revoke_release,
    send_release_expiry_reminders,
    update_referral,
)

__all__ = [
    "CLIENT_CODE_ATTEMPTS", "IntakeError", "add_family_member", "ask_for_careline_report", "assign_case",
    "careline_key", "enroll", "open_case", "override_eligibility", "record_mandated_report",
    "record_not_enrolled", "record_screening", "remove_family_member", "send_careline_reminders",
    "send_contact_reminders", "start_intake", "update_case",
]  # fmt: skip
__all__ += [
    "ContactError", "contact_overdue_key", "correct_contact", "default_contact_cadence", "log_contact",
    "record_stage", "set_contact_cadence", "store_last_contact", "store_last_contacts",
]  # fmt: skip
__all__ += [
    "MadeReferral", "SharingError", "add_document", "covers", "delete_document", "latest_expiry", "make_referral",
    "record_release", "release_date_problems", "revoke_release", "send_release_expiry_reminders", "update_referral",
]  # fmt: skip
__all__ += ["ClosureError", "approve_closure", "reenroll", "request_closure", "return_closure", "withdraw_closure"]
__all__ += ["AccessError", "open_in_emergency", "set_restriction"]
__all__ += ["IntakeRequestError", "close_request", "receive", "start_intake_from"]
__all__ += ["SafetyPlanError", "default_numbers", "save_safety_plan", "send_safety_review_reminders"]
__all__ += ["CASE_FIELDS", "GUARDIAN_FIELDS", "SURVIVOR_FIELDS"]
__all__ += [
    "CatalogueError", "CodeDetails", "ServiceDetails", "add_funder_code", "add_service", "may_manage_catalogue",
    "record_codes_reported", "update_funder_code", "update_service",
]  # fmt: skip
