"""What each field of the cases app's records is, for the privacy registry (``bloom.privacy``)."""

from bloom import privacy
from cases.models import (
    Case,
    Closure,
    Contact,
    Document,
    EmergencyAccess,
    FamilyMember,
    FunderCode,
    Handoff,
    IntakeField,
    IntakeRequest,
    MandatedReport,
    ProgramSettings,
    Referral,
    Release,
    SafePerson,
    SafePlace,
    SafetyPlan,
    SafetyRisk,
    Screening,
    Service,
    StageObservation,
    Survivor,
)

privacy.register(
    Survivor,
    identifying=(
        "client_code", "legal_name", "preferred_name", "aliases", "date_of_birth",
        "legal_name_key", "preferred_name_key", "aliases_key",  # the names folded, for search
        "phone", "phone_digits", "email", "mailing_address",
        "town",  # where the survivor lives: a location, and DOMAIN.md counts location as identifying
        "emergency_contact_name", "emergency_contact_relationship", "emergency_contact_phone",
    ),
    narrative=("gender_description", "safe_contact_notes"),
    harmless=(
        "gender", "immigration_status", "race",  # choice codes
        "limited_english", "immigrant", "disability", "homeless", "lgbtq", "veteran", "deaf_or_hard_of_hearing",
        # Demographics funders count, naming a country or a language, not a person.
        "country_of_birth", "preferred_language",
    ),
)  # fmt: skip

privacy.register(
    Case,
    case="pk",
    # The referring person and the guardian are people too; a guardian's name names the child's family.
    identifying=("referring_person", "referring_contact", "guardian_name", "guardian_phone"),
    narrative=("outcome_note", "eligibility_override_reason"),
    harmless=(
        "status", "referral_source", "not_enrolled_reason",
        "guardian_role", "guardian_may_be_contacted", "service_consent",
    ),
)  # fmt: skip

privacy.register(
    FamilyMember,
    case="case",
    # "Relationship in their words" describes one named person: "my aunt in Hartford".
    identifying=("name", "relationship", "date_of_birth"),
    narrative=("notes",),
    harmless=("relation",),
)

privacy.register(
    MandatedReport,
    case="case",
    # The Careline reference opens the state's own record about the child.
    identifying=("made_by", "reference"),
    narrative=("notes",),
    harmless=("kind",),
)

privacy.register(
    Screening,
    case="case",
    identifying=("location",),  # where it happened, written in free text
    narrative=("narrative",),
    harmless=(
        # Lists of codes from cases.amp and bloom.vocabulary.
        "actions", "means", "purposes", "unsure", "venue_types", "control_methods",
        "determination", "recruitment_method", "residence",
    ),
)  # fmt: skip

privacy.register(
    Contact,
    case="case",
    narrative=("note",),
    harmless=("kind", "initiated_by", "topics"),
)

privacy.register(
    StageObservation,
    case="case",
    narrative=("note",),
    harmless=("stage",),
)

privacy.register(
    Document,
    case="case",
    # An uploaded file's own name is often the person's: "maria-lopez-passport.jpg".
    identifying=("original_name",),
    narrative=("title", "deletion_reason"),
    files=("file",),
    harmless=("kind", "content_type", "sha256"),
)

privacy.register(
    Release,
    case="case",
    identifying=("recipient",),  # a named person at the organization, often
    narrative=("purpose", "revocation_note"),
    harmless=("information",),  # InformationKind codes
)

privacy.register(
    Referral,
    case="case",
    narrative=("note",),
    harmless=("direction", "service_type", "status"),
)

privacy.register(
    Closure,
    case="case",
    narrative=("reason_note", "note", "decision_note"),
    harmless=("reason", "living_situation", "immigration_relief", "hhs_certification", "status"),
)

privacy.register(
    Handoff,
    case="case",
    identifying=("from_specialists", "to_specialists"),  # staff names as they were at the time
    narrative=("note",),
)

privacy.register(
    EmergencyAccess,
    case="case",
    narrative=("reason",),
)

# The funders' catalogue and the program's list of services: configuration, about no one.
privacy.register(
    FunderCode,
    harmless=("scheme", "code", "label", "category"),
)

privacy.register(
    Service,
    harmless=("key", "name", "translations", "group"),
)

privacy.register(
    IntakeRequest,
    case="case",
    identifying=("name", "phone", "where"),  # where: the place they were met, in free text
    narrative=("how_to_reach", "in_their_words", "closed_reason"),
    harmless=(
        "source", "status", "needs",  # choice codes
        "language",  # a language's name
    ),
)  # fmt: skip

privacy.register(
    SafetyPlan,
    case="case",
    # What a safety plan says is narrative, the code word included: it is theirs, not a label.
    narrative=("code_word", "documents_kept", "staff_note"),
    harmless=("emergency_numbers",),  # EmergencyNumber codes; the numbers are the public ones
)

privacy.register(
    SafetyRisk,
    case="plan__case",
    narrative=("description", "strategies"),
    harmless=("source", "kind", "methods"),
)

privacy.register(
    SafePerson,
    case="plan__case",
    identifying=("name", "relationship", "phone"),
)

privacy.register(
    SafePlace,
    case="plan__case",
    identifying=("place",),  # a place the survivor goes, in free text
    narrative=("note",),
)

privacy.register(
    ProgramSettings,
    harmless=("phone",),  # the program's own public number, printed for survivors to call
)

privacy.register(
    IntakeField,
    harmless=("name", "state"),  # which field, and how the program asks it
)
