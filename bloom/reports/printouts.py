"""What every printout for a survivor shares: the language it is printed in, and rendering it there.

The printouts themselves live with the records they print (``cases.printouts``: the face sheet
and the safety plan; ``phases.printouts``: the case plan) and register their builders from their
app's ``ready()``. This module imports no program module, so the program modules can lean on it
without an import that runs up to them and back (docs/ARCHITECTURE.md, "Layers").
"""

import re
import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation

from bloom.reports.pdf import render_pdf


def printout_language(preferred: str) -> str:
    """The language code to print in for a survivor whose preferred language is ``preferred``.

    ``Survivor.preferred_language`` is free text. It names one of ``settings.LANGUAGES`` when
    it is that language's code ("es", "es-MX"), its English name ("Spanish") or its own name
    ("español"), in any case, with or without accents; the first word is enough ("Spanish,
    some English"). Anything else, or nothing, gives ``settings.LANGUAGE_CODE``.
    """
    wanted = _plain(preferred)
    if not wanted:
        return settings.LANGUAGE_CODE
    known = {}
    for code, name in settings.LANGUAGES:
        info = LANG_INFO.get(code, {})
        with translation.override("en"):
            english = str(name)
        for alias in (code, english, info.get("name", ""), info.get("name_local", "")):
            if alias:
                known.setdefault(_plain(alias), code)
    first_word = re.split(r"[\W_]+", wanted)[0]
    return known.get(wanted) or known.get(first_word) or settings.LANGUAGE_CODE


def _plain(text: str) -> str:
    """``text`` without accents, in lower case, trimmed: "  Español " -> "espanol"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def render_printout(
    template: str,
    context_of: Callable[[], dict],
    *,
    preferred_language: str,
    progress: Callable[[int], None] = lambda _percent: None,
) -> bytes:
    """The PDF of ``template``, in the language of a reader who prefers ``preferred_language``.

    ``context_of`` is called inside that language, so that the words it makes (a step's "You",
    a number's "when to call") are translated with the page; the template also gets
    ``language``, for ``<html lang>``, which the PDF keeps as its document language.
    """
    language = printout_language(preferred_language)
    with translation.override(language):
        context = {**context_of(), "language": language}
        progress(40)
        pdf = render_pdf(template, context)
    progress(90)
    return pdf
