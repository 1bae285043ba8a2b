"""The words ``training`` stores for people to read later, by code (``bloom.said``).

Each ``legacy`` is the English sentence the services stored before codes: the data migration
``stored_words_as_codes`` reads it to convert the rows written then.
"""

from django.utils.translation import gettext_lazy as _

from bloom.said import NUMBER, Words, register

register(
    "training",
    # Curricula, trainers and their certifications
    Words("curriculum.added", _("Curriculum added"), legacy="Curriculum added"),
    Words("curriculum.changed", _("Curriculum changed"), legacy="Curriculum changed"),
    Words("trainer.added", _("Trainer added"), legacy="Trainer added"),
    Words("trainer.changed", _("Trainer changed"), legacy="Trainer changed"),
    Words("certification.recorded", _("Certification recorded"), legacy="Certification recorded"),
    # Events and who came
    Words("event.recorded", _("Event recorded"), legacy="Event recorded"),
    Words("event.changed", _("Event changed"), legacy="Event changed"),
    Words("event.trainers_changed", _("Trainers changed"), legacy="Trainers changed"),
    Words("event.link_replaced", _("Survey link replaced"), legacy="Survey link replaced"),
    Words("attendee.listed", _("Attendee listed"), legacy="Attendee listed"),
    Words("attendee.removed", _("Attendee removed from the list"), legacy="Attendee removed from the list"),
    # Survey instruments
    Words(
        "instrument.revised",
        _("New version of v%(version)s"),
        version=NUMBER,
        legacy=r"New version of v(?P<version>[0-9]+)",
    ),
    Words("instrument.copied", _("Copied from the earlier version"), legacy="Copied from the earlier version"),
    Words("instrument.reworded", _("Wording changed"), legacy="Wording changed"),
    Words(
        "instrument.not_default",
        _("Another survey is used for new events"),
        legacy="Another survey is used for new events",
    ),
    Words("instrument.default", _("Used for new events"), legacy="Used for new events"),
    Words(
        "instrument.spanish_installed",
        _("Spanish version of the default survey"),
        legacy="Spanish version of the default survey",
    ),
    # Survey responses
    Words("response.paper", _("Paper survey entered"), legacy="Paper survey entered"),
    Words("response.link", _("Answered through the link"), legacy="Answered through the link"),
    Words("response.set_aside", _("Set aside"), legacy="Set aside"),
)
