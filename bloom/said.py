"""Words Bloom itself stores, kept as codes and written out in the reader's language.

A page is read in its reader's language, so what Bloom writes into a row for people to read
later (why a row changed, the title of a document it filed, why someone opened a record) is
stored as a code with its parameters, ``contact.corrected|[["note","kind"]]``, and put into
words only when shown (``render``), in the language then active. A sentence stored in the
writer's language would reach a Spanish reader in English.

Each app keeps the words it writes in its own ``said`` module (``register("cases", Words(...))``);
the modules are imported on first use, as ``bloom.privacy`` imports the privacy modules, so no
``AppConfig`` needs to wire them in. A code names one sentence with one list of parameters for
ever: rows keep it, so words that change meaning get a new code, never new words for an old one.

Parameters are stored in the order the ``Words`` declare them, as a JSON list: ids, choice
codes, field names, dates and counts, and, kept as typed, the words a person wrote themselves
(a director's reason for clearing a field). Never a survivor's name: a reason is shown to
everyone who reads the history. ``Said.stored`` fits the whole into its column (a history
row's reason holds 100 characters) by leaving field names out, counted, then by shortening a
person's words; ``render`` shows anything it does not know (text written before codes, a
person's own words in a shared column) as it is.
"""

import json
import re
from collections.abc import Iterable
from datetime import date
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import get_language_info, gettext, ngettext, override
from django.utils.translation import gettext_lazy as _

from bloom.privacy import base_model
from bloom.translated import Translated, local

# django-simple-history's column for the reason holds this many characters.
LONGEST_REASON = 100
SEPARATOR = "|"
ELLIPSIS = "\u2026"
# A code is lower case with at least one dot, so that no sentence a person types is taken for one.
CODE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")


def listed(words: Iterable) -> str:
    """Words joined as a sentence lists them, in the active language: "a, b and c"."""
    words = [str(word) for word in words]
    if len(words) <= 1:
        return "".join(words)
    return gettext("%(list)s and %(last)s") % {"list": ", ".join(words[:-1]), "last": words[-1]}


# How parameters are stored and shown ----------------------------------------------------------


class Reading:
    """What ``render`` knows about where the words are shown: the model whose row holds them
    (to name its fields), the fields the reader may not know changed, and names looked up."""

    def __init__(self, model: type[models.Model] | None = None, hidden: Iterable[str] = ()):
        self.model = base_model(model) if model is not None else None
        self.hidden = frozenset(hidden)
        self._names: dict[tuple[str, object], str] = {}

    def field_name(self, name: str) -> str:
        if self.model is None:
            return name
        try:
            return str(self.model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return name

    def name_of(self, label: str, pk) -> str:
        """The name of the row ``pk`` of the model ``label``, in the reader's language where the
        director wrote it in several (``bloom.translated``); the id itself once the row is gone."""
        if (label, pk) not in self._names:
            found = apps.get_model(label)._default_manager.filter(pk=pk).first()
            if found is None:
                name = f"#{pk}"
            elif isinstance(found, Translated) and "name" in found.TRANSLATED:
                name = local(found, "name")
            else:
                name = str(found)
            self._names[label, pk] = name
        return self._names[label, pk]


class Param:
    """A parameter kept as it is given: a person's own words, a number written as text."""

    def store(self, value):
        return str(value)

    def show(self, value, reading: Reading) -> str:
        return str(value)

    def shrink(self, value, over: int):
        """``value`` shorter by at least ``over`` characters once stored, or None when it cannot be."""
        if not isinstance(value, str) or len(value) <= 1:
            return None
        return value[: max(0, len(value) - over - 1)] + ELLIPSIS

    def from_legacy(self, text: str):
        return text

    def sample(self):
        return "Words as a person typed them, with “quotes”, a | bar and a \\ backslash, " * 3


class Number(Param):
    def store(self, value):
        return int(value)

    def show(self, value, reading):
        # The number itself, so that a message in ``ngettext_lazy(..., "count")`` chooses its plural by it.
        return value if isinstance(value, int) else str(value)

    def shrink(self, value, over):
        return None

    def from_legacy(self, text):
        return int(text)

    def sample(self):
        return 1234567


class Fields(Param):
    """Names of the row's fields, shown as the fields' names in the reader's language.

    Stored as a list of names, ended by how many more were left out to fit, if any. Fields the
    reader may not know changed (``Reading.hidden``) are left out, not counted.
    """

    def store(self, value):
        return [str(name) for name in value]

    def show(self, value, reading):
        names = [reading.field_name(n) for n in value if isinstance(n, str) and n not in reading.hidden]
        more = value[-1] if value and isinstance(value[-1], int) else 0
        if not names:
            return ngettext("%(count)s field", "%(count)s fields", more) % {"count": more}
        if more:
            names.append(ngettext("%(count)s more", "%(count)s more", more) % {"count": more})
        return listed(names)

    def shrink(self, value, over):
        more = value[-1] if value and isinstance(value[-1], int) else 0
        names = value[:-1] if more else list(value)
        if len(names) <= 1:
            return None
        return [*names[:-1], more + 1]

    def from_legacy(self, text):
        return [name.strip() for name in text.split(",")]

    def sample(self):
        return [f"field_number_{n}" for n in range(30)]


class Day(Param):
    def store(self, value):
        # A report's parameters hold their dates as ISO text already.
        return value.isoformat() if isinstance(value, date) else str(value)

    def show(self, value, reading):
        try:
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
        except (TypeError, ValueError):
            return str(value)

    def shrink(self, value, over):
        return None

    def from_legacy(self, text):
        return date.fromisoformat(text).isoformat()

    def sample(self):
        return date(2026, 3, 3)


class Month(Day):
    def store(self, value):
        return f"{value:%Y-%m}"

    def show(self, value, reading):
        try:
            return date_format(date.fromisoformat(f"{value}-01"), "YEAR_MONTH_FORMAT")
        except (TypeError, ValueError):
            return str(value)

    def from_legacy(self, text):
        return f"{date.fromisoformat(f'{text}-01'):%Y-%m}"


class Language(Param):
    """A language code of ``settings.LANGUAGES``, shown as the language's name in the reader's."""

    def show(self, value, reading):
        try:
            return str(get_language_info(value)["name_translated"])
        except KeyError:
            return str(value)

    def shrink(self, value, over):
        return None

    def sample(self):
        return "es"


class Choice(Param):
    """A value of a field's choices, shown as its label."""

    def __init__(self, choices):
        self.choices = choices

    def show(self, value, reading):
        return str(dict(self.choices.choices).get(value, value))

    def shrink(self, value, over):
        return None

    def from_legacy(self, text):
        # A sentence may have named the choice by its English label rather than its value.
        with override("en"):
            values = {str(label): value for value, label in self.choices.choices}
        return values.get(text, text)

    def sample(self):
        return self.choices.values[-1]


class Named(Param):
    """A row of another model, stored by id and shown as it is named now (``str()``).

    A name kept as text (what a sentence said before codes) is shown as it is.
    """

    def __init__(self, label: str):
        self.label = label

    def store(self, value):
        return value.pk if isinstance(value, models.Model) else int(value)

    def show(self, value, reading):
        return reading.name_of(self.label, value) if isinstance(value, int) else str(value)

    def shrink(self, value, over):
        return super().shrink(value, over) if isinstance(value, str) else None

    def sample(self):
        return 2**31


TEXT, NUMBER, FIELDS, DAY, MONTH, LANGUAGE = Param(), Number(), Fields(), Day(), Month(), Language()


# The catalogue -----------------------------------------------------------------------------------


class Words:
    """What a code says (``text``, translatable, with a named ``%(param)s`` for each parameter),
    how each parameter is kept, and the English sentence services stored before codes
    (``legacy``, a regular expression with a named group for each parameter), for the
    migrations that convert old rows."""

    def __init__(self, code: str, text: Promise, *, legacy: str | None = None, **params: Param):
        if not CODE.fullmatch(code):
            raise ImproperlyConfigured(f"{code!r} is not a code: lower case, with a dot.")
        self.code, self.text, self.params = code, text, params
        self.legacy = re.compile(legacy, re.DOTALL) if legacy else None

    def __repr__(self):
        return f"Words({self.code!r})"


# Every code's words, and the app that registered them: filled as the ``said`` modules are imported.
_WORDS: dict[str, Words] = {}
_OWNERS: dict[str, str] = {}


def register(app: str, *words: Words) -> None:
    """Add ``words`` to the catalogue, as written by ``app`` (whose migrations convert its rows)."""
    for each in words:
        if _WORDS.get(each.code, each) is not each:
            raise ImproperlyConfigured(f"Two sets of words for the code {each.code!r}.")
        _WORDS[each.code], _OWNERS[each.code] = each, app


@cache
def _discover() -> None:
    autodiscover_modules("said")


def catalogue() -> dict[str, Words]:
    """Every code, with its words: the platform's and every app's. Not to be changed."""
    _discover()
    return _WORDS


def words_of(app: str) -> list[Words]:
    """Every code's words, those ``app`` registered first, then the platform's, then the others'.

    Another app may write into ``app``'s tables (the purge, into a case's history); where two
    apps wrote the same sentence, the table's own app says what it meant.
    """
    _discover()
    rank = {app: 0, "bloom": 1}
    return sorted(_WORDS.values(), key=lambda words: rank.get(_OWNERS[words.code], 2))


# Storing ------------------------------------------------------------------------------------------


class Said:
    """A code and its parameters, to be stored where Bloom keeps words for people to read later.

    ``str()`` is what is stored in a history row's reason (100 characters at most); ``stored(n)``
    fits another column. Raises ``LookupError`` for a code not in the catalogue and
    ``TypeError`` for parameters that are not the code's.
    """

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params):
        self.code, self.params = code, params

    def __repr__(self):
        return f"Said({self.code!r}, {self.params!r})"

    def __str__(self):
        return self.stored()

    def stored(self, limit: int = LONGEST_REASON) -> str:
        words = catalogue().get(self.code)
        if words is None:
            raise LookupError(f"No words for the code {self.code!r}: register them in the app's said module.")
        if set(self.params) != set(words.params):
            raise TypeError(f"{self.code} takes {sorted(words.params)}, not {sorted(self.params)}.")
        values = [param.store(self.params[name]) for name, param in words.params.items()]
        return _fitted(words, values, limit)


def _serialised(code: str, values: list) -> str:
    if not values:
        return code
    return code + SEPARATOR + json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def _fitted(words: Words, values: list, limit: int) -> str:
    params = list(words.params.values())
    # Field names go first (they are counted), then a person's words are shortened.
    order = sorted(range(len(params)), key=lambda i: not isinstance(params[i], Fields))
    stored = _serialised(words.code, values)
    while len(stored) > limit:
        for index in order:
            shorter = params[index].shrink(values[index], len(stored) - limit)
            if shorter is not None:
                values[index] = shorter
                break
        else:
            raise ValueError(f"{words.code} cannot be stored in {limit} characters.")
        stored = _serialised(words.code, values)
    return stored


# Reading ------------------------------------------------------------------------------------------


def parsed(stored: str | None) -> tuple[Words, list] | None:
    """(the words, the stored parameters) when ``stored`` is a code in the catalogue, else None."""
    code, separator, rest = (stored or "").partition(SEPARATOR)
    if not CODE.fullmatch(code):
        return None
    words = catalogue().get(code)
    if words is None:
        return None
    if not separator:
        return (words, []) if not words.params else None
    try:
        values = json.loads(rest)
    except ValueError:
        return None
    if not isinstance(values, list) or len(values) != len(words.params):
        return None
    return words, values


def values_of(stored: str | None) -> tuple[str, dict] | None:
    """(the code, its parameters by name, as stored) when ``stored`` is a code, else None."""
    found = parsed(stored)
    if found is None:
        return None
    words, values = found
    return words.code, dict(zip(words.params, values, strict=True))


def render(stored: str | None, *, model: type[models.Model] | None = None, reading: Reading | None = None) -> str:
    """``stored`` in the active language: a code's words, or the text itself when it is no code.

    ``model`` (or ``reading``) names the fields a reason lists. A translation that lost a
    parameter falls back to the English words rather than failing the page.
    """
    found = parsed(stored)
    if found is None:
        return stored or ""
    words, values = found
    reading = reading or Reading(model)
    try:
        return _said(words, values, reading)
    except (KeyError, ValueError, TypeError):
        pass
    try:
        with override("en"):
            return _said(words, values, reading)
    except (KeyError, ValueError, TypeError, LookupError):
        # Parameters that are not what the code stores (a row edited by hand): shown as stored,
        # never a failed page.
        return stored


def looks_like_a_code(text: str | None) -> bool:
    """Whether a person's ``text`` would read as Bloom's own words where both share a column (a
    document's title, an access-log reason, a decision note): such text is refused, not stored."""
    return parsed((text or "").strip()) is not None


def _said(words: Words, values: list, reading: Reading) -> str:
    if not words.params:
        return str(words.text)
    shown = {
        name: param.show(value, reading) for (name, param), value in zip(words.params.items(), values, strict=True)
    }
    return str(words.text % shown)


# Converting what was stored before codes --------------------------------------------------------


def converted(text: str, *, app: str, limit: int = LONGEST_REASON) -> str | None:
    """The code for ``text`` when it is a sentence stored before codes in a table of ``app``, else None."""
    for words in words_of(app):
        found = words.legacy.fullmatch(text) if words.legacy else None
        if found is None:
            continue
        try:
            values = [param.from_legacy(found.group(name)) for name, param in words.params.items()]
        except (IndexError, KeyError, TypeError, ValueError):
            continue
        return _fitted(words, values, limit)
    return None


def convert_column(queryset, column: str, *, app: str, limit: int = LONGEST_REASON) -> int:
    """Store as codes the sentences in ``column`` of ``queryset`` (a table of ``app``) written
    before codes; return how many rows changed.

    For data migrations: one query for the distinct texts, one update for each text recognised;
    a text not recognised is left as it is. Runs again harmlessly: a code is no sentence.
    """
    changed = 0
    for text in queryset.exclude(**{column: ""}).values_list(column, flat=True).distinct().order_by():
        code = converted(text, app=app, limit=limit) if text else None
        if code is not None and code != text:
            changed += queryset.filter(**{column: text}).update(**{column: code})
    return changed


def convert_history(apps_registry, app: str) -> int:
    """Store as codes the change reasons in every history table of ``app``: for its data migration."""
    changed = 0
    for model in apps_registry.get_app_config(app).get_models():
        if model.__name__.startswith("Historical") and _has_field(model, "history_change_reason"):
            changed += convert_column(model._base_manager.all(), "history_change_reason", app=app)
    return changed


def message_values(text: str, message: str) -> dict[str, str] | None:
    """The values of ``message``'s ``%(param)s`` (an English source text) when ``text`` is it
    filled in, as any language says it, else None: for a sentence stored in its writer's language."""
    for said in in_every_language(message):
        pattern = re.escape(said)
        for name in dict.fromkeys(re.findall(r"%\((\w+)\)s", said)):
            pattern = pattern.replace(re.escape(f"%({name})s"), f"(?P<{name}>.+)", 1)
        if found := re.fullmatch(pattern, text, re.DOTALL):
            return found.groupdict()
    return None


def converted_message(text: str, message: str, code: str, *, limit: int = LONGEST_REASON) -> str | None:
    """``code`` for ``text`` when it is ``message`` filled in (``message_values``), else None."""
    values = message_values(text, message)
    return None if values is None else Said(code, **values).stored(limit)


def in_every_language(message: str) -> list[str]:
    """``message`` (an English source text) as each language of ``settings.LANGUAGES`` says it:
    what a writer's language may have stored before codes. The English first."""
    found = [message]
    for code, _name in settings.LANGUAGES:
        with override(code):
            said = gettext(message)
        if said not in found:
            found.append(said)
    return found


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


# Words every app uses ------------------------------------------------------------------------------

register(
    "bloom",
    Words(
        "row.changed", _("Changed %(fields)s"), fields=FIELDS, legacy=r"Changed (?P<fields>[a-z0-9_]+(?:, [a-z0-9_]+)*)"
    ),
)
