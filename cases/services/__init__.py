"""Every change to survivors and cases. Each service leaves a history row with its author.

One module per part of the work; import services from here (``from cases import services``).
"""

from cases.services.intake import (
    CLIENT_CODE_ATTEMPTS,
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
    send_contact_reminders,
    start_intake,
    update_case,
)

__all__ = [
    "CLIENT_CODE_ATTEMPTS", "IntakeError", "add_family_member", "ask_for_careline_report", "assign_case",
    "careline_key", "enroll", "open_case", "override_eligibility", "record_mandated_report",
    "record_not_enrolled", "record_screening", "remove_family_member", "send_careline_reminders",
    "send_contact_reminders", "start_intake", "update_case",
]  # fmt: skip
