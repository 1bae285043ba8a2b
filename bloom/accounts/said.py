"""The words ``accounts`` stores for people to read later, by code (``bloom.said``)."""

from django.utils.translation import gettext_lazy as _

from bloom.said import Words, register

register(
    "accounts",
    Words("team.created", _("Team created"), legacy="Team created"),
    Words("user.language_chosen", _("Language chosen"), legacy="Language chosen"),
)
