"""The privacy registry: which fields of each model identify a person, hold people's words, or hold files.

Only aggregate data may leave the program (DOMAIN.md, "Confidentiality"). Whatever keeps that
promise asks this registry instead of keeping a list of its own: funder reports that must stay
aggregate, purging on the program's schedule, partial purges (only the narrative), encryption
at rest.

Each app classifies its own models in its ``privacy`` module::

    from bloom import privacy
    from cases.models import Contact

    privacy.register(
        Contact,
        case="case",
        narrative=("note",),
        harmless=("kind", "initiated_by", "topics"),  # choice codes
    )

``case`` is the lookup from the model to the case its rows belong to (``"plan__case"`` for a
safety plan's risks, ``"pk"`` for the case itself): the purge (``retention.purge``) takes a
case's rows, and their history rows, by it. A model about no case in particular (the
program's configuration, staff, the logs) has none.

A field is one of:

- **identifying**: points at a person: a name, another name, a birth date, a phone number, an
  email or postal address, a client code, an emergency contact, a family member's or a
  guardian's details, a place written in free text. Anyone's, not only a survivor's: a
  volunteer's phone or a trainee's email is no more a funder's business.
- **narrative**: free text people write in the course of the work (notes, narratives, purposes,
  reasons, goals in the survivor's words, what a safety plan says). It may name anyone.
- **file**: an uploaded or generated file.
- **harmless**: neither, said out loud: choice codes, counts, the program's own configuration
  (phase names, survey questions), machine values. Harmless is not "public": immigration
  status is a choice code that only some roles see, but it identifies no one by itself.

Every text field (char, text, email, slug, URL, JSON, file, IP address) must be classified:
``tests/bloom/test_privacy.py`` fails on one that is not, so a new one cannot arrive unexamined.
Other fields (numbers, dates, booleans, foreign keys) are harmless unless named; name the few
that are not (a date of birth, the town a survivor lives in). A model with no text field and
nothing identifying needs no entry.

A django-simple-history table follows its model. Its ``history_change_reason`` counts as
narrative, since a service may put a person's words in it (why an item was taken back).

The apps' ``privacy`` modules are imported on first use, as the admin's ``autodiscover`` does,
so no ``AppConfig`` needs to wire them in.
"""

import sys
from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import autodiscover_modules
from simple_history.models import HistoricalChanges


class Kind(StrEnum):
    IDENTIFYING = "identifying"
    NARRATIVE = "narrative"
    FILE = "file"
    HARMLESS = "harmless"


# Fields whose values are text, so that anything at all can be written in them. EmailField,
# SlugField and URLField are CharFields; ImageField is a FileField.
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField, models.GenericIPAddressField)

# The columns django-simple-history adds to every history table, beside the model's own.
HISTORY_FIELDS = {
    "history_change_reason": Kind.NARRATIVE,
    "history_type": Kind.HARMLESS,  # "+", "~" or "-"
}


def is_text(field: models.Field) -> bool:
    base = getattr(field, "base_field", None)  # an ArrayField of text is text too
    return isinstance(field, TEXT_FIELDS) or (base is not None and is_text(base))


def base_model(model: type[models.Model]) -> type[models.Model]:
    """The model a django-simple-history table records; any other model is its own."""
    if issubclass(model, HistoricalChanges):
        return model.instance_type
    return model


def label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


class Registry:
    """Field classifications by model. The module's functions use the one the apps fill."""

    def __init__(self) -> None:
        self._kinds: dict[type[models.Model], dict[str, Kind]] = {}
        self._case_paths: dict[type[models.Model], str] = {}

    def register(
        self,
        model: type[models.Model],
        *,
        case: str | None = None,
        identifying: Iterable[str] = (),
        narrative: Iterable[str] = (),
        files: Iterable[str] = (),
        harmless: Iterable[str] = (),
    ) -> None:
        if model in self._kinds:
            raise ImproperlyConfigured(f"{label(model)} is registered twice.")
        kinds: dict[str, Kind] = {}
        for kind, names in (
            (Kind.IDENTIFYING, identifying),
            (Kind.NARRATIVE, narrative),
            (Kind.FILE, files),
            (Kind.HARMLESS, harmless),
        ):
            # ("note") is a string, not a tuple: it would classify "n", "o", "t" and "e".
            if isinstance(names, str):
                raise ImproperlyConfigured(f"{label(model)}: give {kind} fields as a tuple, not {names!r}.")
            for name in names:
                if name in kinds:
                    raise ImproperlyConfigured(f"{label(model)}.{name} is classified twice.")
                kinds[name] = kind
        self._kinds[model] = kinds
        if case is not None:
            self._case_paths[model] = case

    def kinds(self, model: type[models.Model]) -> dict[str, Kind]:
        """Each classified field of ``model`` (or of the model its history table records) and its kind."""
        base = base_model(model)
        kinds = self._kinds.get(base, {})
        return {**kinds, **HISTORY_FIELDS} if base is not model else dict(kinds)

    def kind_of(self, model: type[models.Model], name: str) -> Kind | None:
        """The kind of ``model.name``: harmless for an unnamed field that is not text, None for unclassified text."""
        kind = self.kinds(model).get(name)
        if kind is None and not is_text(model._meta.get_field(name)):
            return Kind.HARMLESS
        return kind

    def fields(self, model: type[models.Model], kind: Kind) -> tuple[str, ...]:
        return tuple(name for name, k in self.kinds(model).items() if k == kind)

    def registered_models(self) -> list[type[models.Model]]:
        return sorted(self._kinds, key=label)

    def case_path(self, model: type[models.Model]) -> str | None:
        return self._case_paths.get(model)

    def case_models(self) -> list[tuple[type[models.Model], str]]:
        """Each model whose rows belong to a case, with its lookup to the case, in label order."""
        return [(model, self._case_paths[model]) for model in sorted(self._case_paths, key=label)]

    def text_fields_unregistered(self, among: Iterable[type[models.Model]]) -> list[str]:
        """``app.Model.field`` for each text field of the models ``among`` that has no kind."""
        return [
            f"{label(model)}.{field.name}"
            for model in among
            for field in model._meta.concrete_fields
            if is_text(field) and field.name not in self.kinds(model)
        ]

    def unknown_fields(self) -> list[str]:
        """``app.Model.field`` for each name registered that is not a field of its model."""
        return [
            f"{label(model)}.{name}"
            for model, kinds in self._kinds.items()
            for name in kinds
            if name not in _field_names(model)
        ]


def _field_names(model: type[models.Model]) -> set[str]:
    opts = model._meta
    return {field.name for field in (*opts.concrete_fields, *opts.local_many_to_many)}


registry = Registry()


@cache
def _discover() -> None:
    # Not run at import: the apps' modules import their models, which needs the app registry
    # ready. A failed import is not cached, so the next call tries again and fails as loudly.
    autodiscover_modules("privacy")


def register(
    model: type[models.Model],
    *,
    case: str | None = None,
    identifying: Iterable[str] = (),
    narrative: Iterable[str] = (),
    files: Iterable[str] = (),
    harmless: Iterable[str] = (),
) -> None:
    """Classify ``model``'s fields; called from the ``privacy`` module of the app that declares it."""
    registry.register(model, case=case, identifying=identifying, narrative=narrative, files=files, harmless=harmless)


def case_models() -> list[tuple[type[models.Model], str]]:
    """Each registered model whose rows belong to a case, with its lookup to the case."""
    _discover()
    return registry.case_models()


def kind_of(model: type[models.Model], name: str) -> Kind | None:
    _discover()
    return registry.kind_of(model, name)


def identifying_fields(model: type[models.Model]) -> tuple[str, ...]:
    _discover()
    return registry.fields(model, Kind.IDENTIFYING)


def narrative_fields(model: type[models.Model]) -> tuple[str, ...]:
    _discover()
    return registry.fields(model, Kind.NARRATIVE)


def file_fields(model: type[models.Model]) -> tuple[str, ...]:
    _discover()
    return registry.fields(model, Kind.FILE)


def registered_models() -> list[type[models.Model]]:
    _discover()
    return registry.registered_models()


def project_models() -> list[type[models.Model]]:
    """Every model of the apps in the project's own tree, history tables included.

    The virtual environment may live inside the project's folder; what is installed there is
    not the project's.
    """
    root = Path(settings.BASE_DIR).resolve()
    installed = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    ours = [
        config
        for config in apps.get_app_configs()
        if (path := Path(config.path).resolve()).is_relative_to(root)
        and not any(path.is_relative_to(prefix) for prefix in installed)
    ]
    return [model for config in ours for model in config.get_models()]


def text_fields_unregistered() -> list[str]:
    """``app.Model.field`` for each text field of the project's models that has no kind."""
    _discover()
    return registry.text_fields_unregistered(project_models())


def unknown_fields() -> list[str]:
    """``app.Model.field`` for each name the apps registered that their model does not have."""
    _discover()
    return registry.unknown_fields()
