"""What every printout for a survivor shares: the language it is printed in, and rendering it there.

The printouts themselves live with the records they print (``cases.printouts``: the face sheet
and the safety plan; ``phases.printouts``: the case plan) and register their builders from their
app's ``ready()``. This module imports no program module, so the program modules can lean on it
without an import that runs up to them and back (docs/ARCHITECTURE.md, "Layers").
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from bloom.reports.pdf import render_pdf
from bloom.text import fold


def printout_language(preferred: str) -> str:
    """The language code to print in for a survivor whose preferred language is ``preferred``:
    ``known_language(preferred)``, or ``settings.LANGUAGE_CODE`` when Bloom has not that language."""
    return known_language(preferred) or settings.LANGUAGE_CODE


def known_language(preferred: str) -> str | None:
    """The code of the language of ``settings.LANGUAGES`` that ``preferred`` names, or None.

    ``Survivor.preferred_language`` is free text. It names one of ``settings.LANGUAGES`` when
    it is that language's code ("es", "es-MX"), its English name ("Spanish") or its own name
    ("español"), in any case, with or without accents; the first word is enough ("Spanish,
    some English").
    """
    wanted = fold(preferred)
    if not wanted:
        return None
    known = {}
    for code, name in settings.LANGUAGES:
        info = LANG_INFO.get(code, {})
        with translation.override("en"):
            english = str(name)
        for alias in (code, english, info.get("name", ""), info.get("name_local", "")):
            if alias:
                known.setdefault(fold(alias), code)
    first_word = re.split(r"[\W_]+", wanted)[0]
    return known.get(wanted) or known.get(first_word)


def read_language(post) -> dict:
    """The print form's choice of language, as a report's parameters: {} when none was sent
    (the survivor's own language is used), a ValidationError for a language Bloom has not."""
    language = (post.get("language") or "").strip()
    if not language:
        return {}
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(gettext("Choose one of the languages Bloom prints in."), code="language")
    return {"language": language}


def asked_language(parameters: dict | None, *, preferred: str) -> str:
    """The language a printout was asked for in, else the one of a reader who prefers ``preferred``."""
    chosen = (parameters or {}).get("language", "")
    return chosen if chosen in dict(settings.LANGUAGES) else printout_language(preferred)


def render_printout(
    template: str,
    context_of: Callable[[], dict],
    *,
    language: str,
    progress: Callable[[int], None] = lambda _percent: None,
) -> bytes:
    """The PDF of ``template`` in ``language`` (a code of ``settings.LANGUAGES``).

    ``context_of`` is called inside that language, so that the words it makes (a step's "You",
    a number's "when to call") are translated with the page; the template also gets
    ``language``, for ``<html lang>``, which the PDF keeps as its document language.
    """
    with translation.override(language):
        context = {**context_of(), "language": language}
        progress(40)
        pdf = render_pdf(template, context)
    progress(90)
    return pdf
