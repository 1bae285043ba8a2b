"""What each field of the outreach app's records is, for the privacy registry (``bloom.privacy``)."""

from bloom import privacy
from outreach.models import OutreachSession, PartnershipActivity, Volunteer, VolunteerTraining

privacy.register(
    Volunteer,
    identifying=("full_name", "email", "phone", "emergency_contact_name", "emergency_contact_phone"),
    narrative=("skills", "availability", "notes"),
    harmless=("status", "languages"),
)

privacy.register(
    VolunteerTraining,
    harmless=("topic",),  # what the training was about
)

privacy.register(
    OutreachSession,
    # The area is the streets in general terms, never where a person can be found; still free text.
    narrative=("area", "incident_notes", "notes"),
    harmless=("venue_types",),
)

privacy.register(
    PartnershipActivity,
    identifying=("people_involved",),  # staff and partners by name
    narrative=("notes",),
    harmless=("kind",),
)
