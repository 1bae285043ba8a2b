"""Words the program director writes, in every language Bloom offers.

Bloom's own words are translated by the catalogue (``locale/``). What the director writes (a
phase's name and checklist, a service's name, a curriculum, a survey's items) is data: the
English stays in the model's own fields, as it always has, and every other language sits beside
it in one JSONField, ``translations``::

    {"es": {"name": "Sanar", "checklist": ["...", "..."]}}

A language added to ``settings.LANGUAGES`` needs no migration: its words go in the same field,
and the director's forms grow a field for it (``add_translation_fields``).

``local(obj, "name")`` is the reader's version (the active language's), or the English where
that language has none, or a blank one. A list (a checklist, a scale's words) falls back item by
item, so a translation missing one item still shows the others. Reading costs no query: the
words are on the row. ``local_expression`` is the same rule in SQL, for an annotation.

``__str__`` stays English: what must read the same for every reader (a funder's export, a
history row, a log) goes on using the model's own fields.
"""

import copy
from collections.abc import Callable, Iterable

from django import forms
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import models
from django.db.models import F, Value
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

FIELD = "translations"


def source_language() -> str:
    """The language of the models' own fields: Bloom's first language (English)."""
    return settings.LANGUAGE_CODE


def own_name(code: str) -> str:
    """A language's name in that language ("Español"), as a reader looks for it."""
    return LANG_INFO.get(code, {}).get("name_local", code).capitalize()


def other_languages() -> list[tuple[str, str]]:
    """Each language Bloom offers besides English, with its own name: [("es", "Español")]."""
    return [(code, own_name(code)) for code, _name in settings.LANGUAGES if code != source_language()]


def offered(code: str | None) -> str | None:
    """The code of ``settings.LANGUAGES`` that ``code`` names ("es", "es-mx"), or None."""
    languages = dict(settings.LANGUAGES)
    code = (code or "").lower()
    for candidate in (code, code.split("-")[0]):
        if candidate in languages:
            return candidate
    return None


def _translated_into(language: str | None) -> str | None:
    """The language to read a translation in (``language``, else the active one); None for English."""
    code = offered(language or get_language())
    return None if code in (None, source_language()) else code


def translations_field() -> models.JSONField:
    """The field that holds a model's other languages."""
    return models.JSONField(_("translations"), default=dict, blank=True)


def _said(words) -> bool:
    return isinstance(words, str) and bool(words.strip())


def pick(english, translations: dict | None, attribute: str, language: str | None = None):
    """``attribute`` in ``language`` (the active one by default) from a row's ``translations``,
    ``english`` where it has none; a list item by item.

    An item that is a pair (a scale's point and its words, ``[3, "Knowledgeable"]``) keeps its
    point: its translation is the words alone.
    """
    code = _translated_into(language)
    if code is None:
        return english
    given = ((translations or {}).get(code) or {}).get(attribute)
    if isinstance(english, list | tuple):
        given = given if isinstance(given, list) else []
        shown = []
        for index, item in enumerate(english):
            words = given[index] if index < len(given) else None
            if isinstance(item, list | tuple):
                shown.append([*item[:-1], words if _said(words) else item[-1]])
            else:
                shown.append(words if _said(words) else item)
        return shown
    return given if _said(given) else english


def local(obj, attribute: str, language: str | None = None):
    """``obj``'s ``attribute`` in the reader's language (``language``, else the active one).

    The English field where that language has no words for it, or blank ones; a list falls
    back item by item. ``obj`` None is "".
    """
    if obj is None:
        return ""
    return pick(getattr(obj, attribute), getattr(obj, FIELD, None), attribute, language)


def local_expression(attribute: str, *, language: str | None = None) -> models.Expression:
    """SQL for a text ``attribute`` (``"name"``, or across a relation ``"phase__name"``) in the
    active language, the English where that language has none: for ``annotate`` and ``values``."""
    code = _translated_into(language)
    if code is None:
        return F(attribute)
    *path, name = attribute.split("__")
    # KT() reads its first part as the JSON field itself, so across a relation the key is taken by hand.
    words = KeyTextTransform(name, KeyTransform(code, "__".join([*path, FIELD])))
    return Coalesce(NullIf(words, Value("")), F(attribute), output_field=models.CharField())


def data_words(obj, attribute: str, key: str) -> dict:
    """``obj``'s ``attribute`` in each other language it is written in, for a stored message's
    data (a notification's): ``{"es": {key: "Sanar"}}``, read back by ``in_active_language``."""
    stored = getattr(obj, FIELD, None) or {}
    return {code: {key: words[attribute]} for code, words in stored.items() if _said((words or {}).get(attribute))}


def in_active_language(data: dict) -> dict:
    """A stored message's ``data`` with its words in the active language where ``data[FIELD]``
    holds them (``data_words``); the rest, and every word it lacks, as stored."""
    values = {key: value for key, value in data.items() if key != FIELD}
    code = _translated_into(None)
    if code:
        words = ((data.get(FIELD) or {}).get(code)) or {}
        values.update({key: value for key, value in words.items() if key in values and _said(value)})
    return values


class Translated:
    """A model whose words the director writes: ``TRANSLATED`` names them (lists in
    ``TRANSLATED_LISTS``); its ``translations`` field holds the other languages."""

    TRANSLATED: tuple[str, ...] = ()
    TRANSLATED_LISTS: tuple[str, ...] = ()

    def local(self, attribute: str, language: str | None = None):
        return local(self, attribute, language)

    def in_language(self, code: str) -> dict:
        """The words written in language ``code``, as stored ({} when none)."""
        return dict((getattr(self, FIELD, None) or {}).get(code) or {})


# Keeping them tidy -----------------------------------------------------------------------------


def tidy(given: dict | None, attributes: Iterable[str], *, lists: Iterable[str] = (), kept: dict | None = None) -> dict:
    """``given`` as it is stored: the offered languages' ``attributes`` only, text trimmed, lists
    without blank items, and nothing for what was left empty.

    A language no longer offered keeps what ``kept`` (the row's stored translations) had for it,
    so taking a language out of the settings loses no one's words.
    """
    lists = set(lists)
    codes = {code for code, _own in other_languages()}
    stored = {code: words for code, words in (kept or {}).items() if code not in codes and words}
    for code in sorted(codes):
        words = {}
        for attribute in attributes:
            value = ((given or {}).get(code) or {}).get(attribute)
            if attribute in lists:
                items = [str(item).strip() for item in value or []]
                if any(items):
                    words[attribute] = items
            elif _said(value):
                words[attribute] = value.strip()
        if words:
            stored[code] = words
    return stored


def problems(
    translations: dict,
    english: dict,
    *,
    longest: dict[str, int],
    field: Callable[[str, str], str] = lambda attribute, code: f"{attribute}_{code}",
) -> dict[str, str]:
    """What is wrong with ``translations`` beside the ``english`` values they translate (by
    attribute), keyed by ``field(attribute, language)``, the name of the form field it was typed in.

    Text longer than ``longest[attribute]``, and a list with another number of items than the
    English (it may be left empty: the English shows instead). Each item of a list is held to
    ``longest`` too. Blanks are not faults: they are left out, as ``tidy`` stores them.
    """
    lists = [attribute for attribute, value in english.items() if isinstance(value, list | tuple)]
    found = {}
    for code, words in tidy(translations, english, lists=lists).items():
        for attribute, value in words.items():
            if attribute not in english:
                continue
            most = longest.get(attribute)
            if isinstance(english[attribute], list | tuple):
                count = len(english[attribute])
                if len(value) != count:
                    found[field(attribute, code)] = ngettext(
                        "The English has %(count)s item: write %(count)s here, one per line in the same order, "
                        "or leave this empty.",
                        "The English has %(count)s items: write %(count)s here, one per line in the same order, "
                        "or leave this empty.",
                        count,
                    ) % {"count": count}
                elif most and any(len(item) > most for item in value):
                    found[field(attribute, code)] = gettext("Keep each item to %(length)s characters or fewer.") % {
                        "length": most
                    }
            elif most and len(value) > most:
                found[field(attribute, code)] = gettext("Keep this to %(length)s characters or fewer.") % {
                    "length": most
                }
    return found


# The director's forms --------------------------------------------------------------------------


def field_name(name: str, code: str) -> str:
    """The form field for ``name`` in language ``code``: ``name_es``."""
    return f"{name}_{code}"


def add_translation_fields(form, name: str, *, values: dict | None = None, lines: bool = False) -> list[str]:
    """Add to ``form``, right after its English field ``name``, an optional field for each other
    language, labelled in that language's own name ("Name in Español") and marked with its
    ``lang``; returns their names.

    ``values`` is what each language has now ({"es": "Sanar"}). ``lines``: the English is a list
    typed one item per line (a checklist), and so is each translation.
    """
    english = form.fields[name]
    added = {}
    for code, own in other_languages():
        field = copy.deepcopy(english)
        field.required = False
        field.disabled = False
        field.label = gettext("%(field)s in %(language)s") % {"field": english.label, "language": own}
        field.help_text = ""
        field.widget.attrs = {key: value for key, value in field.widget.attrs.items() if key != "autofocus"}
        field.widget.attrs["lang"] = code
        value = (values or {}).get(code)
        field.initial = "\n".join(value) if lines and value else value or ""
        added[field_name(name, code)] = field
    fields = {}
    for existing, field in form.fields.items():
        fields[existing] = field
        if existing == name:
            fields.update(added)
    form.fields = fields
    return list(added)


def translated_values(form, name: str, *, lines: bool = False) -> dict:
    """What ``form`` (cleaned) has in each other language for ``name``: {"es": "Sanar"}; a list
    for ``lines``."""
    values = {}
    for code, _own in other_languages():
        value = form.cleaned_data.get(field_name(name, code)) or ""
        values[code] = [line.strip() for line in value.splitlines() if line.strip()] if lines else value.strip()
    return values


class LocalModelChoiceField(forms.ModelChoiceField):
    """A choice of rows, each named in the reader's language by its ``label_attribute`` ("name")."""

    def __init__(self, *args, label_attribute: str = "name", **kwargs):
        self.label_attribute = label_attribute
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        return local(obj, self.label_attribute)


class TranslatedFormMixin:
    """A director's form with a field per other language beside each of ``translated_fields``,
    filled from the row's ``translations`` (``initial["translations"]``, else the instance's) and
    read back by ``translations()``. ``translated_lines`` are typed one item per line."""

    translated_fields: tuple[str, ...] = ()
    translated_lines: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.initial.get(FIELD)
        if stored is None:
            stored = getattr(getattr(self, "instance", None), FIELD, None) or {}
        for name in self.translated_fields:
            values = {code: (stored.get(code) or {}).get(name) for code, _own in other_languages()}
            add_translation_fields(self, name, values=values, lines=name in self.translated_lines)

    @property
    def translation_fields(self) -> dict[str, list]:
        """Each translated field's bound fields in the other languages, for a template that places
        the fields one by one: ``{% for field in form.translation_fields.name %}``."""
        return {
            name: [self[field_name(name, code)] for code, _own in other_languages()] for name in self.translated_fields
        }

    def translations(self) -> dict:
        """The translations typed in, by language then attribute (blanks included: ``tidy`` drops them)."""
        typed: dict[str, dict] = {}
        for name in self.translated_fields:
            for code, value in translated_values(self, name, lines=name in self.translated_lines).items():
                typed.setdefault(code, {})[name] = value
        return typed
