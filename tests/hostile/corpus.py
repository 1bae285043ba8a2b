"""The hostile values, per kind of field: fixed, so every run sends the same ones.

``values_for(field)`` gives every value a field of its kind gets. A field's kind comes from its
class (``kind_of``); a field of a class no kind covers makes the coverage test fail, naming it,
until a kind is given here. Values that depend on the field (its length limit, its bounds, its
choices, the rows it may name) are worked out from the field itself.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from bloom.forms import MoneyField
from tests.cases import sharing_files
from tests.cases.sharing_files import docx_bytes, pdf_bytes, png_bytes, zip_bytes

MARKER = "hostile-markup"

# Markup that is live if a page prints it unescaped (a script, an attribute broken out of, an
# element), each on its own; ``assert_no_live_markup`` looks for them.
MARKUP = [f"<script>{MARKER}</script>", f'"><img src=x onerror="{MARKER}">', f"<{MARKER} onclick=alert(1)>"]
# The shortest markup that is live unescaped: for fields too short for the rest.
SHORT_MARKUP = f"<{MARKER}>"
# What the forms are sent: every way out of a tag, an attribute and a text area at once, and
# a link's scheme with the template language's own syntax.
TAGS = [
    f'"></textarea><script>{MARKER}</script><img src=x onerror="{MARKER}"><{MARKER} onclick=alert(1)>',
    f"javascript:{MARKER}{{{{ {MARKER} }}}}{{% now 'Y' %}}",
]
SQL = ["'; DROP TABLE cases_case; SELECT pg_sleep(5); -- ' OR '1'='1"]
# A spreadsheet opened from a CSV export runs a cell that starts with one of these.
CSV_FORMULAS = ['=HYPERLINK("http://example.invalid","x")', "+1+1", "@SUM(A1:A9)"]


class Missing:
    """The field is not sent at all."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


@dataclass(frozen=True)
class Upload:
    """A file sent in a file field: its name and its bytes."""

    name: str
    content: bytes

    def file(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.content)


@dataclass(frozen=True)
class Hostile:
    """One value a field gets: a label for the table and for failure messages, and what is sent."""

    label: str
    value: Any  # a string, a list of strings (several values), MISSING, or an Upload


def _text(limit: int | None) -> list[Hostile]:
    far = (limit or 0) * 10 or 100_000
    values = [
        Hostile("empty", ""),
        Hostile("whitespace only", " \t\n\u00a0 "),
        Hostile("NUL", "Ana\x00Ruiz"),
        Hostile("control characters", "\x1b[31m\x07\x08\x7f"),
        Hostile("right-to-left override", "\u202eevil\u202c.pdf"),
        Hostile("right-to-left mark", "\u200f\u0645\u0631\u064a\u0645"),
        Hostile("zero-width space and byte order mark", "\ufeffAna\u200bRuiz"),
        Hostile("emoji and astral characters", "Ana 🌸👩🏽\u200d⚕️ \U0001d505\U0001d529\U0001d52c"),
        Hostile("combining marks", "A\u0301na\u0308 Z\u0335\u0336\u0337\u0338\u0321\u0322\u0327ero"),
        Hostile("far past the limit", "a" * far),
        *(Hostile(f"HTML and script {n}", markup) for n, markup in enumerate(TAGS, 1)),
        *(Hostile(f"SQL {n}", sql) for n, sql in enumerate(SQL, 1)),
        *(Hostile(f"CSV formula {n}", formula) for n, formula in enumerate(CSV_FORMULAS, 1)),
        Hostile("several values", ["Ana", MARKUP[0]]),
        Hostile("missing", MISSING),
    ]
    if limit:
        values += [
            Hostile("at the limit", "a" * limit),
            Hostile("at the limit in astral characters", "🌸" * limit),
            Hostile("one past the limit", "a" * (limit + 1)),
        ]
    return values


def _numbers(field: forms.Field) -> list[Hostile]:
    values = [
        Hostile("empty", ""),
        Hostile("negative", "-1"),
        Hostile("zero", "0"),
        Hostile("minus zero", "-0"),
        Hostile("past a 32-bit integer", "2147483648"),
        Hostile("past a 64-bit integer", "-9223372036854775809"),
        Hostile("forty digits", "9" * 40),
        Hostile("exponent", "1e9"),
        Hostile("fraction", "3.5"),
        Hostile("hexadecimal", "0x10"),
        Hostile("underscores", "1_000"),
        Hostile("padded", " 42 "),
        Hostile("Arabic-Indic digits", "\u0661\u0662"),
        Hostile("NaN", "NaN"),
        Hostile("infinity", "Infinity"),
        Hostile("minus infinity", "-inf"),
        Hostile("not a number", "twelve"),
        Hostile("NUL", "1\x00"),
        Hostile("several values", ["1", "2"]),
        Hostile("missing", MISSING),
    ]
    low, high = getattr(field, "min_value", None), getattr(field, "max_value", None)
    if low is not None:
        values += [Hostile("the least allowed", str(low)), Hostile("one below the least", str(low - 1))]
    if high is not None:
        values += [Hostile("the most allowed", str(high)), Hostile("one past the most", str(high + 1))]
    return values


def _bounds(field: forms.Field) -> tuple[Decimal | None, Decimal | None, Decimal]:
    """The least and most a money or decimal field takes, and its smallest step: a MoneyField
    takes 0 (a cent when ``positive``) to ``largest`` in cents; a DecimalField ``min_value`` to
    ``max_value`` in its own ``decimal_places``."""
    if isinstance(field, MoneyField):
        cent = Decimal("0.01")
        return (cent if field.positive else Decimal(0)), field.largest, cent
    places = field.decimal_places if field.decimal_places is not None else 2
    step = Decimal(1).scaleb(-places)
    low, high = (None if v is None else Decimal(v) for v in (field.min_value, field.max_value))
    return low, high, step


def _money(field: forms.Field) -> list[Hostile]:
    """Amounts as text; the field's own bounds, and one step (a cent, or a tenth) past each."""
    low, high, step = _bounds(field)
    bounds = []
    if low is not None:
        bounds += [
            Hostile("the least allowed", str(low.quantize(step))),
            Hostile("a step below the least", str((low - step).quantize(step))),
        ]
    if high is not None:
        bounds += [
            Hostile("the most allowed", str(high.quantize(step))),
            Hostile("a step past the most", str((high + step).quantize(step))),
        ]
    return [
        *bounds,
        Hostile("empty", ""),
        Hostile("negative", "-0.01"),
        Hostile("zero", "0"),
        Hostile("a tenth of a cent", "0.001"),
        Hostile("a billion", "1000000000.00"),
        Hostile("forty digits", "9" * 40),
        Hostile("exponent past any number", "1e400"),
        Hostile("tiny exponent", "1e-7"),
        Hostile("NaN", "NaN"),
        Hostile("infinity", "Infinity"),
        Hostile("minus infinity", "-Infinity"),
        Hostile("thousands separator", "1,200.50"),
        Hostile("dollar sign", "$5"),
        Hostile("padded", " 5 "),
        Hostile("not a number", "five dollars"),
        Hostile("NUL", "5\x00"),
        Hostile("several values", ["5", "6"]),
        Hostile("missing", MISSING),
    ]


def _dates() -> list[Hostile]:
    today = timezone.localdate()
    return [
        Hostile("empty", ""),
        Hostile("29 February of a non-leap year", "2027-02-29"),
        Hostile("30 February", "2026-02-30"),
        Hostile("month 13", "2026-13-01"),
        Hostile("year 0", "0000-00-00"),
        Hostile("year 1", "0001-01-01"),
        Hostile("year 9999", "9999-12-31"),
        Hostile("day first", "31/12/2026"),
        Hostile("tomorrow", (today + timedelta(days=1)).isoformat()),
        Hostile("long ago", "1900-01-01"),
        Hostile("a word", "yesterday"),
        Hostile("exponent", "1e3"),
        Hostile("NUL", "2026-01-01\x00"),
        Hostile("several values", [today.isoformat(), "2026-01-01"]),
        Hostile("missing", MISSING),
    ]


def _times() -> list[Hostile]:
    return [
        Hostile("empty", ""),
        Hostile("24:00", "24:00"),
        Hostile("minute 60", "23:60"),
        Hostile("negative", "-1:00"),
        Hostile("second 60", "12:00:60"),
        Hostile("a word", "noon"),
        Hostile("an hour alone", "9"),
        Hostile("NUL", "09:00\x00"),
        Hostile("several values", ["09:00", "10:00"]),
        Hostile("missing", MISSING),
    ]


def _datetimes() -> list[Hostile]:
    now = timezone.localtime()
    return [
        Hostile("empty", ""),
        Hostile("29 February of a non-leap year", "2027-02-29T10:00"),
        Hostile("30 February", "2026-02-30T10:00"),
        Hostile("year 1", "0001-01-01T00:00"),
        Hostile("year 9999", "9999-12-31T23:59"),
        # 2:30 on the night the clocks go forward never happens; 1:30 in the autumn happens twice.
        Hostile("a time that never happened", "2027-03-14T02:30"),
        Hostile("a time that happened twice", "2026-11-01T01:30"),
        Hostile("tomorrow", (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")),
        Hostile("minute 60", "2026-01-01T10:60"),
        Hostile("a word", "tomorrow"),
        Hostile("NUL", "2026-01-01T10:00\x00"),
        Hostile("several values", [now.strftime("%Y-%m-%dT%H:%M"), "2026-01-01T10:00"]),
        Hostile("missing", MISSING),
    ]


def _choice_keys(field: forms.ChoiceField) -> list[str]:
    keys = []
    for key, label in field.choices:
        if isinstance(label, list | tuple):  # a group of choices
            keys += [str(inner) for inner, _label in label]
        else:
            keys.append(str(key))
    return [key for key in keys if key] or ["x"]


def _choices(field: forms.ChoiceField) -> list[Hostile]:
    first, last = _choice_keys(field)[0], _choice_keys(field)[-1]
    return [
        Hostile("empty", ""),
        Hostile("not a choice", "not-a-choice"),
        Hostile("markup", MARKUP[0]),
        Hostile("padded choice", f" {first} "),
        Hostile("choice in capitals", first.upper() if first.upper() != first else first.lower()),
        Hostile("NUL", f"{first}\x00"),
        Hostile("several choices", [first, last]),
        Hostile("missing", MISSING),
    ]


def _multiple_choices(field: forms.MultipleChoiceField) -> list[Hostile]:
    keys = _choice_keys(field)
    return [
        Hostile("empty", ""),
        Hostile("not a choice", ["not-a-choice"]),
        Hostile("a choice twice", [keys[0], keys[0]]),
        Hostile("a choice and not", [keys[0], "not-a-choice"]),
        Hostile("markup", [MARKUP[0]]),
        Hostile("NUL", [f"{keys[0]}\x00"]),
        Hostile("every choice", keys),
        Hostile("missing", MISSING),
    ]


def _booleans() -> list[Hostile]:
    return [
        Hostile("on", "on"),
        Hostile("false", "false"),
        Hostile("zero", "0"),
        Hostile("empty", ""),
        Hostile("maybe", "maybe"),
        Hostile("NUL", "\x00"),
        Hostile("several values", ["on", "false"]),
        Hostile("missing", MISSING),
    ]


def _unchosen_pk(field: forms.ModelChoiceField) -> str:
    """A record of the field's kind that the field may not name (another team's, say), else one that does not exist."""
    model = field.queryset.model
    other = model._default_manager.exclude(pk__in=field.queryset.values("pk")).values_list("pk", flat=True).first()
    if other is not None:
        return str(other)
    highest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
    return str(highest + 1000)


def _ids(field: forms.ModelChoiceField, *, several: bool) -> list[Hostile]:
    def one(value):
        return [value] if several else value

    values = [
        Hostile("empty", ""),
        Hostile("zero", one("0")),
        Hostile("negative", one("-1")),
        Hostile("no such record", one("999999999")),
        Hostile("past a 64-bit integer", one("99999999999999999999")),
        Hostile("not a number", one("abc")),
        Hostile("fraction", one("1.5")),
        Hostile("NUL", one("1\x00")),
        Hostile("a record it may not name", one(_unchosen_pk(field))),
        Hostile("missing", MISSING),
    ]
    chosen = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:2]] or ["1"]
    if several:
        values.append(Hostile("one twice", [chosen[0], chosen[0]]))
    else:
        values.append(Hostile("several values", [chosen[0], chosen[-1]]))
    return values


def _files() -> list[Hostile]:
    return [
        Hostile("empty file", Upload("empty.pdf", b"")),
        Hostile("random bytes", Upload("scan.pdf", bytes(range(256)) * 8)),
        Hostile("a web page named as a PDF", Upload("letter.pdf", sharing_files.HTML)),
        Hostile("a zip named as a document", Upload("lease.docx", zip_bytes({"a.txt": "x"}))),
        Hostile("a PDF named as a program", Upload("id.pdf.exe", pdf_bytes())),
        Hostile("a picture with a path in its name", Upload("../../etc/passwd.png", png_bytes())),
        Hostile("a document with a right-to-left name", Upload("\u202excod.exe", docx_bytes())),
        Hostile("a name of 400 characters", Upload("a" * 396 + ".pdf", pdf_bytes())),
        Hostile("markup as its name", Upload(f"{MARKUP[1]}.pdf", pdf_bytes())),
        Hostile("text where a file goes", "not a file"),
        Hostile("missing", MISSING),
    ]


def kind_of(field: forms.Field) -> str:
    """The kind of value a field takes; the order matters, as Django's field classes inherit."""
    kinds = [
        (forms.FileField, "file"),
        (forms.ModelMultipleChoiceField, "ids"),
        (forms.ModelChoiceField, "id"),
        (forms.MultipleChoiceField, "multiple choice"),
        (forms.ChoiceField, "choice"),
        (forms.BooleanField, "boolean"),
        (forms.DecimalField, "money"),
        (MoneyField, "money"),  # dollars and cents read as text, never a float
        (forms.FloatField, "number"),
        (forms.IntegerField, "number"),
        (forms.DateTimeField, "datetime"),
        (forms.DateField, "date"),
        (forms.TimeField, "time"),
        (forms.CharField, "text"),
    ]
    for cls, kind in kinds:
        if isinstance(field, cls):
            return kind
    if field.disabled:
        return "text"  # shown, never read back (the admin's password hash): whatever is sent is ignored
    raise LookupError(f"no hostile values for a {type(field).__name__}: give its kind in tests/hostile/corpus.py")


def text_limit(field: forms.Field) -> int | None:
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
    return min(limits) if limits else getattr(field, "max_length", None)


def values_for(field: forms.Field) -> list[Hostile]:
    """Every hostile value a field of this kind gets, each once."""
    by_kind = {
        "text": lambda: _text(text_limit(field)),
        "number": lambda: _numbers(field),
        "money": lambda: _money(field),
        "date": _dates,
        "time": _times,
        "datetime": _datetimes,
        "choice": lambda: _choices(field),
        "multiple choice": lambda: _multiple_choices(field),
        "boolean": _booleans,
        "id": lambda: _ids(field, several=False),
        "ids": lambda: _ids(field, several=True),
        "file": _files,
    }
    return by_kind[kind_of(field)]()
