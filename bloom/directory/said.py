"""The words ``directory`` stores for people to read later, by code (``bloom.said``)."""

from django.utils.translation import gettext_lazy as _

from bloom.said import Words, register

register(
    "directory",
    Words("directory.demo", _("Made up for the demo"), legacy="Demo directory"),
)
