"""The print form's language: which language a survivor's printout will be in, and the others to choose."""

from dataclasses import dataclass

from django import template
from django.conf import settings

from bloom.reports.printouts import known_language
from bloom.translated import own_name

register = template.Library()


@dataclass(frozen=True)
class PrintLanguage:
    code: str  # the language the printout will be in unless another is chosen
    name: str  # that language's own name
    preferred: bool  # whether it is the survivor's preferred language (else Bloom has not theirs)
    choices: list[tuple[str, str]]  # every language Bloom prints in, each named in itself


@register.simple_tag
def print_language(survivor) -> PrintLanguage:
    """What the print form offers for ``survivor``'s printouts: their language when Bloom has it."""
    known = known_language(survivor.preferred_language)
    code = known or settings.LANGUAGE_CODE
    choices = [(language, own_name(language)) for language, _name in settings.LANGUAGES]
    return PrintLanguage(code=code, name=own_name(code), preferred=known is not None, choices=choices)
