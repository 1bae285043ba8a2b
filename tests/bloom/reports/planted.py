"""Distinctive values planted in every identifying and narrative field, and the search for them.

A funder or program report may hold counts only (DOMAIN.md, "Confidentiality"). To prove an
output holds nothing else, a test restarts every table's ids far above any count
(``restart_sequences``), builds its records, then overwrites every field the privacy registry
calls identifying or narrative, in every row and every history row, with a value that cannot
occur by chance (``plant``). ``Search.leaks`` then lists each planted value, each value that was there
before planting (client codes, staff names and emails), and each record id found in a text.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.db import IntegrityError, connection, models, transaction
from simple_history.models import HistoricalChanges

from bloom import privacy
from bloom.accounts.models import User
from bloom.directory.models import Town
from cases.models import Survivor

# "Zq7k" then a number then "x": no word, code or count looks like it.
TOKEN_PREFIX = "Zq7k"
# A token, or the start of one cut short (a label shortened to fit a cell).
TOKEN = re.compile(TOKEN_PREFIX + r"\d*x?")

BIRTHDAY = date(1913, 7, 13)
# The planted birthday as people and locales write it.
BIRTHDAY_WRITTEN = (
    "1913-07-13", "07/13/1913", "7/13/1913", "13/07/1913", "13.07.1913", "1913/07/13",
    "July 13, 1913", "July 13 1913", "Jul. 13, 1913", "Jul 13, 1913", "13 July 1913", "13 Jul 1913",
)  # fmt: skip

# Each table's ids start this far apart, from here: an id is never a plausible count, and two
# tables' ids never meet.
FIRST_ID = 7_310_000
ID_STEP = 1_000
# How a whole number may be grouped by thousands, in the locales Bloom might render in.
THOUSANDS = "[,.\u00a0\u202f' ]?"


def restart_sequences(project_models) -> list[tuple[str, int, bool]]:
    """Restart each model's id sequence at FIRST_ID + ID_STEP * i; returns what to put back.

    Sequences are not transactional: the caller puts them back (``put_back_sequences``) so
    that later tests in this database see the ids they would have seen.
    """
    saved = []
    with connection.cursor() as cursor:
        for i, model in enumerate(project_models):
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField):  # BigAutoField and SmallAutoField are AutoFields
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
            (sequence,) = cursor.fetchone()
            if sequence is None:
                continue
            # The name comes from PostgreSQL itself, already quoted as it needs to be.
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
            saved.append((sequence, *cursor.fetchone()))
            cursor.execute("SELECT setval(%s, %s)", [sequence, FIRST_ID + ID_STEP * i])
    return saved


def put_back_sequences(saved: list[tuple[str, int, bool]]) -> None:
    with connection.cursor() as cursor:
        for sequence, last_value, is_called in saved:
            cursor.execute("SELECT setval(%s, %s, %s)", [sequence, last_value, is_called])


@dataclass
class Planted:
    """What was planted and what was there before, each with where it came from."""

    # Every planted text and IP address: "app.Model.field #pk".
    origins: dict[str, str] = field(default_factory=dict)
    # Values that were there before planting (client codes, staff names and emails).
    before: dict[str, str] = field(default_factory=dict)
    # Record ids (FIRST_ID and up, so made by the test), as whole numbers: "app.Model #pk".
    ids: dict[int, str] = field(default_factory=dict)
    # "app.Model.field" of each identifying or narrative field no distinctive value fits.
    skipped: set[str] = field(default_factory=set)
    # "app.Model.field" of each one a constraint keeps empty in some row (it was left empty there).
    refused: set[str] = field(default_factory=set)
    _count: int = 0

    @property
    def next_number(self) -> int:
        return self._count + 1

    def token(self, origin: str) -> str:
        self._count += 1
        value = f"{TOKEN_PREFIX}{self._count}x"
        self.origins[value] = origin
        return value

    def address(self, origin: str) -> str:
        # The benchmarking range (198.18.0.0/15): no real address, and nothing in a report.
        self._count += 1
        value = f"198.18.{self._count // 256}.{self._count % 256}"
        self.origins[value] = origin
        return value

    def town(self, origin: str) -> int:
        # A survivor's town identifies them: a town of their own, named by a token. Made in
        # bulk, so it leaves no history row behind unplanted.
        return Town.objects.bulk_create([Town(name=self.token(f"{origin} (the town's name)"))])[0].pk


def history_models(model: type[models.Model]) -> list[type[models.Model]]:
    """``model`` and its django-simple-history table, if it has one."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return [model, getattr(model, manager).model] if manager else [model]


def plant() -> Planted:
    """Overwrite every identifying and narrative field of every row of every registered model,
    history tables included, with a value of its own; remember what must not leak either."""
    planted = Planted()
    for code, pk in Survivor.objects.values_list("client_code", "pk"):
        planted.before[code] = f"cases.Survivor.client_code #{pk} (before planting)"
    for name, email, pk in User.objects.values_list("full_name", "email", "pk"):
        if name:
            planted.before[name] = f"accounts.User.full_name #{pk} (before planting)"
        planted.before[email] = f"accounts.User.email #{pk} (before planting)"
    for model in record_models():
        for pk in model._base_manager.filter(pk__gte=FIRST_ID).values_list("pk", flat=True):
            planted.ids[pk] = f"{privacy.label(model)} #{pk}"
    for registered in privacy.registered_models():
        for model in history_models(registered):
            _plant_rows(model, planted)
    return planted


def record_models() -> list[type[models.Model]]:
    """The models of the records kept about survivors (every model of ``cases`` but its history
    tables), whose ids must never reach a report. ServiceEvent is among them, though it is not in
    the privacy registry (it has no text).

    Not every table: an award's id is in the report page's links, and names no one.
    """
    return [model for model in apps.get_app_config("cases").get_models() if not issubclass(model, HistoricalChanges)]


def _plant_rows(model: type[models.Model], planted: Planted) -> None:
    label = privacy.label(model)
    concrete = {each.name: each for each in model._meta.concrete_fields}
    fields = []
    for name in (*privacy.identifying_fields(model), *privacy.narrative_fields(model)):
        if name in concrete:
            fields.append(concrete[name])
        else:  # a many-to-many field, or one the history table leaves out: nothing to overwrite
            planted.skipped.add(f"{label}.{name}")
    for pk in model._base_manager.order_by("pk").values_list("pk", flat=True):
        values = {}
        for each in fields:
            origin = f"{label}.{each.name} #{pk}"
            value = _value(each, origin, planted)
            if value is None:
                planted.skipped.add(f"{label}.{each.name}")
            else:
                values[each.attname] = value
        if values:
            _update(model._base_manager.filter(pk=pk), values, planted, label)


def _update(row: models.QuerySet, values: dict, planted: Planted, label: str) -> None:
    try:
        with transaction.atomic():
            row.update(**values)
        return
    except IntegrityError:
        pass
    # A check constraint ties a field to another (a document's deletion reason only once it is
    # deleted): plant the others, and leave that one as the constraint keeps it.
    for name, value in values.items():
        try:
            with transaction.atomic():
                row.update(**{name: value})
        except IntegrityError:
            empty = row.values_list(name, flat=True).get() in ("", None, [], {})
            # Left empty, it holds nothing that could leak; left with a value, it is a gap.
            (planted.refused if empty else planted.skipped).add(f"{label}.{name}")


def _value(each: models.Field, origin: str, planted: Planted):
    """A distinctive value for one field of one row, or None when none fits."""
    if isinstance(each, models.ForeignKey) and each.related_model is Town:
        return planted.town(origin)
    if isinstance(each, models.DateField) and not isinstance(each, models.DateTimeField):
        return BIRTHDAY
    if isinstance(each, models.GenericIPAddressField):
        return planted.address(origin)
    if isinstance(each, models.JSONField | ArrayField):
        return [planted.token(origin)]
    fits = each.max_length is None or each.max_length >= len(f"{TOKEN_PREFIX}{planted.next_number}x")
    # A field too short for a token is reported (``skipped``), never given a cut one.
    if isinstance(each, models.CharField | models.TextField) and fits:
        return planted.token(origin)
    return None


def _whole_number(n: int) -> str:
    digits = str(n)
    groups = []
    while digits:
        digits, group = digits[:-3], digits[-3:]
        groups.insert(0, group)
    return THOUSANDS.join(groups)


@dataclass
class Search:
    """The patterns ``leaks`` looks for, compiled once for a module's planted values."""

    planted: Planted
    ids: re.Pattern = field(init=False)

    def __post_init__(self):
        numbers = "|".join(_whole_number(n) for n in sorted(self.planted.ids, reverse=True))
        self.ids = re.compile(rf"(?<!\d)(?:{numbers})(?!\d)") if numbers else re.compile(r"(?!)")

    def leaks(self, where: str, text: str) -> list[str]:
        """Each value in ``text`` that must not be there, as "where: value (its origin)"."""
        flat = " ".join(text.split())
        # Words wrap across lines in a PDF: a token cut by a line break is still found.
        squeezed = "".join(text.split())
        found = [f"{where}: {token} ({self.planted.origins.get(token, 'a planted value')})"
                 for token in TOKEN.findall(squeezed)]  # fmt: skip
        found += [
            f"{where}: {value} ({origin})"
            for value, origin in self.planted.origins.items()
            if not value.startswith(TOKEN_PREFIX) and value in flat
        ]
        found += [f"{where}: {value} ({origin})" for value, origin in self.planted.before.items() if value in flat]
        lowered = flat.casefold()
        found += [f"{where}: {written} (the planted birthday)" for written in BIRTHDAY_WRITTEN
                  if written.casefold() in lowered]  # fmt: skip
        found += [
            f"{where}: {number} ({self.planted.ids[int(re.sub(r'\D', '', number))]})"
            for number in self.ids.findall(flat)
        ]
        return found
