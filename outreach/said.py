"""The words ``outreach`` stores for people to read later, by code (``bloom.said``).

Each ``legacy`` is the English sentence the services stored before codes: the data migration
``stored_words_as_codes`` reads it to convert the rows written then.
"""

from django.utils.translation import gettext_lazy as _

from bloom.said import Words, register

register(
    "outreach",
    Words("volunteer.recorded", _("Volunteer recorded"), legacy="Volunteer recorded"),
    Words("volunteer.changed", _("Volunteer changed"), legacy="Volunteer changed"),
    Words("volunteer_training.recorded", _("Training recorded"), legacy="Training recorded"),
    Words("session.logged", _("Session logged"), legacy="Session logged"),
    Words("session.changed", _("Session changed"), legacy="Session changed"),
    Words("handoff.passed", _("Request for help passed to intake"), legacy="Request for help passed to intake"),
    Words("partnership.recorded", _("Partnership activity recorded"), legacy="Partnership activity recorded"),
    Words("partnership.changed", _("Partnership activity changed"), legacy="Partnership activity changed"),
)
