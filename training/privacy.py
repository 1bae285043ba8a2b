"""What each field of the training app's records is, for the privacy registry (``bloom.privacy``)."""

from bloom import privacy
from training.models import (
    Attendee,
    Certification,
    Construct,
    Curriculum,
    Item,
    SubmissionMark,
    SurveyInstrument,
    SurveyResponse,
    Trainer,
    TrainingEvent,
)

# Courses and survey instruments: configuration, about no one.
privacy.register(
    Curriculum,
    harmless=("name", "version", "audience", "description", "translations"),
)

privacy.register(
    SurveyInstrument,
    harmless=("name",),
)

privacy.register(
    Construct,
    harmless=("code", "title", "question", "anchors", "translations"),
)

privacy.register(
    Item,
    harmless=("text", "translations"),
)

privacy.register(
    Trainer,
    identifying=("full_name", "email"),
)

privacy.register(
    Certification,
    harmless=("kind", "teach_back"),
)

privacy.register(
    TrainingEvent,
    narrative=("notes",),
    harmless=(
        "audience", "fields_of_work",
        "positions",  # the kinds of job in the room: "teachers, school counselors"
        "survey_token",  # the survey link's secret: about no one
    ),
)  # fmt: skip

privacy.register(
    Attendee,
    identifying=("full_name", "email", "organization"),  # their employer, beside their name
    harmless=("field_of_work", "position"),
)

privacy.register(
    SurveyResponse,
    harmless=("phase", "source", "language", "field_of_work", "position", "experience"),
)

privacy.register(
    SubmissionMark,
    # Keyed digests of a device and a network: hashing does not make data shareable (DOMAIN.md).
    identifying=("device", "network"),
    harmless=("phase",),
)
