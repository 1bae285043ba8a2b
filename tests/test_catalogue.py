"""Every message of the project is translated into every language Bloom offers, and keeps its placeholders.

The messages are gathered from the source the way ``make messages`` (Django's makemessages)
gathers them, in pure Python: Babel reads the Python and the JavaScript, and the templates are
read after Django's own ``templatize`` has turned their tags into gettext calls. A language added
to ``settings.LANGUAGES`` with its catalogue is checked here without a change to this file.
"""

import io
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_javascript, extract_python
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
# Not the product's messages: tests, benchmarks, docs, installed packages, generated files.
NOT_SOURCE = {".venv", "node_modules", "tests", "bench", "var", "docs", "locale", "staticfiles", ".git"}
KEYWORDS = {
    "gettext": None, "gettext_lazy": None, "_": None, "gettext_noop": None,
    "ngettext": (1, 2), "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "npgettext_lazy": ((1, "c"), 2, 3),
}  # fmt: skip
# What a translation must carry over exactly: %(name)s, %s, %%, {name}, and HTML tags and entities.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr%]|\{\w*\}|<[^<>]+>|&\w+;")
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


def _source_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in NOT_SOURCE or not path.is_file():
            continue
        if path.suffix == ".py":
            yield "django", path, extract_python, path.read_bytes()
        elif path.suffix in {".html", ".txt"} and "templates" in relative.parts:
            # templatize keeps each tag's column; Babel reads Python, which would take that for indentation.
            code = templatize(path.read_text(), origin=str(path))
            yield "django", path, extract_python, "\n".join(line.lstrip() for line in code.splitlines()).encode()
        elif path.suffix == ".js":
            yield "djangojs", path, extract_javascript, path.read_bytes()


@cache
def messages() -> dict[str, dict[tuple, str]]:
    """Per domain, each message the source asks for, (context, singular, plural), with where it is."""
    found = {"django": {}, "djangojs": {}}
    for domain, path, extract, source in _source_files():
        for line, function, message, _comments in extract(io.BytesIO(source), KEYWORDS, [], {}):
            if message is None:
                continue  # gettext(variable) names no message
            if isinstance(message, str):
                key = (None, message, None)
            elif function.startswith("np"):
                key = tuple(message)
            elif function.startswith("p"):
                key = (message[0], message[1], None)
            else:
                key = (None, message[0], message[1])
            if key[1]:  # a plural or context call with a variable for its text
                found[domain].setdefault(key, f"{path.relative_to(ROOT)}:{line}")
    return found


@cache
def catalogue(language: str, domain: str):
    path = ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return None
    with path.open("rb") as source:
        return read_po(source, locale=language, abort_invalid=True)


def _entries(language: str, domain: str) -> dict[tuple, object]:
    entries = {}
    for message in catalogue(language, domain) or []:
        if not message.id:
            continue  # the header
        singular, plural = message.id if isinstance(message.id, tuple) else (message.id, None)
        entries[(message.context, singular, plural)] = message
    return entries


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_the_source_has_messages():
    """The gathering itself works: a check over nothing would pass whatever the catalogue held."""
    assert (None, "Sign in", None) in messages()["django"]
    assert len(messages()["django"]) > 1000


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_message_has_a_translation_that_is_not_fuzzy(language, domain):
    wanted = messages()[domain]
    if not wanted:
        return  # no message in this domain (today the JavaScript takes its words from the page)
    entries = _entries(language, domain)
    missing = [f"{where}: {key[1]!r}" for key, where in wanted.items() if key not in entries]
    untranslated, fuzzy = [], []
    for key, where in wanted.items():
        entry = entries.get(key)
        if entry is None:
            continue
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(form.strip() for form in forms):
            untranslated.append(f"{where}: {key[1]!r}")
        if entry.fuzzy:
            fuzzy.append(f"{where}: {key[1]!r}")
    assert not missing, f"not in locale/{language} (run make messages, then translate):\n" + "\n".join(missing)
    assert not untranslated, f"not translated in locale/{language}:\n" + "\n".join(untranslated)
    assert not fuzzy, f"fuzzy in locale/{language} (check the translation, then drop the flag):\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_holds_nothing_the_source_no_longer_asks_for(language):
    """Entries left behind by a changed message would hide that its new wording is untranslated."""
    stale = sorted(key[1] for key in _entries(language, "django") if key not in messages()["django"])
    assert not stale, f"locale/{language} holds messages no longer in the source (make messages drops them):\n" + (
        "\n".join(map(repr, stale))
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder_and_tag(language):
    problems = []
    for (_context, singular, plural), entry in _entries(language, "django").items():
        if not plural:
            if entry.string and _placeholders(entry.string) != _placeholders(singular):
                problems.append(f"{singular!r}: {_placeholders(singular)} became {_placeholders(entry.string)}")
            continue
        english = set(_placeholders(singular)) | set(_placeholders(plural))
        forms = [form for form in entry.string if form]
        # A singular form may say "one" instead of the number; no form may invent a placeholder,
        # and the last (the general plural) carries every one.
        invented = [form for form in forms if not set(_placeholders(form)) <= english]
        if invented or (forms and _placeholders(forms[-1]) != _placeholders(plural)):
            problems.append(f"{plural!r}: {_placeholders(plural)} became {[_placeholders(f) for f in forms]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_current_and_used(language):
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), "run make (scripts/compile-catalogue)"
    assert mo.stat().st_mtime >= po.stat().st_mtime, "run make (scripts/compile-catalogue)"
    entry = _entries(language, "django")[(None, "Sign in", None)]
    with translation.override(language):
        assert translation.gettext("Sign in") == entry.string
