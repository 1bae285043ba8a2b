"""The intake fields a program director may hide or make optional, and how each is asked now.

The catalogue (``catalogue()``) holds the survivor's details and the questions funders ask
(``Survivor.DETAIL_FIELDS``, ``CLASSIFICATION_FIELDS``), the referral (``Case.REFERRAL_FIELDS``)
and, for a minor, the responsible adult and consent (``services.intake.GUARDIAN_FIELDS``), each
named ``"model.field"`` (``"survivor.legal_name"``, ``"case.referring_person"``). The intake date
is not in it: every rule and report counts from it.

**The rules name what they need**, each beside itself: eligibility (``eligibility.NEEDS``), the
screening's rule for minors (``amp.NEEDS``) and the Careline reminder (``queries.CARELINE_NEEDS``).
A field a rule needs is always asked as built; ``services.fields.set_state`` refuses to change it
and says which rule needs it. The funder reports count some fields (``REPORTED``) but need none:
a hidden one is counted as "not reported", which the funders accept, and the director's page says
so beside the field.

How the fields are asked is read in one query (``current()``) and passed around for the rest of
the request: to the forms, the services and the templates (``Asked.shown``). A field with no
``IntakeField`` row is asked as built.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases import amp, eligibility, queries
from cases.models import Case, IntakeField, Survivor

State = IntakeField.State

# The models whose fields are in the catalogue, by the first part of a field's name.
MODELS: dict[str, type[models.Model]] = {"survivor": Survivor, "case": Case}

# Each rule that needs intake fields, in the words the director reads, and what it needs.
RULES = (
    (_("the eligibility rules (age and service area)"), eligibility.NEEDS),
    (_("the screening's rule for minors"), amp.NEEDS),
    (_("the DCF Careline reminder for minors"), queries.CARELINE_NEEDS),
)

# What the funder and state reports count (``cases.tallies``, docs/REPORTING.md). None is needed
# by a rule: a survivor with no answer is counted as "not reported", as when it was not asked.
REPORTED = frozenset(
    {
        "survivor.gender",
        "survivor.race",
        "survivor.immigration_status",
        "survivor.born_in_us",
        *(f"survivor.{name}" for name in Survivor.CLASSIFICATION_FIELDS),
        "case.referral_source",
        "case.referred_on",
    }
)

# Columns kept from a field's value, cleared with it: a phone's digits and the names folded are
# kept for search.
DERIVED = {
    "survivor.phone": ("phone_digits",),
    **{f"survivor.{name}": (key,) for name, key in Survivor.NAME_KEYS.items()},
}


@dataclass(frozen=True)
class Field:
    """One intake field the director may see in the catalogue."""

    name: str  # "survivor.legal_name"
    group: str  # the heading it is listed under
    model: type[models.Model] = field(repr=False)
    required: bool  # whether a form asks for it as built
    needed_by: tuple[str, ...]  # the rules that need it, in the reader's words
    reported: bool  # whether the funder reports count it

    @property
    def model_label(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.name.split(".", 1)[1]

    @property
    def model_field(self) -> models.Field:
        return self.model._meta.get_field(self.attribute)

    @property
    def label(self) -> str:
        return capfirst(self.model_field.verbose_name)

    @property
    def sensitive(self) -> bool:
        return self.model is Survivor and self.attribute in Survivor.SENSITIVE_FIELDS

    @property
    def blank(self) -> Any:
        """The value a field holds when nothing was entered: what clearing it writes."""
        model_field = self.model_field
        if model_field.null:
            return None
        if model_field.has_default():
            return model_field.get_default()
        return ""

    def holds_value(self) -> Q:
        """The rows of ``model`` where this field holds something other than its blank."""
        blank = self.blank
        if blank is None:
            return Q(**{f"{self.model_field.attname}__isnull": False})
        return ~Q(**{self.attribute: blank})

    def blanks(self) -> dict[str, Any]:
        """The columns clearing this field writes: the field, and what is kept from it."""
        return {self.attribute: self.blank, **dict.fromkeys(DERIVED.get(self.name, ()), "")}


@cache
def catalogue() -> dict[str, Field]:
    """Every intake field the director may see, by name, in the order the forms ask them."""
    from cases.services.intake import GUARDIAN_FIELDS  # noqa: PLC0415 (the services import this module)

    needed: dict[str, list[str]] = {}
    for rule, names in RULES:
        for name in names:
            needed.setdefault(name, []).append(rule)
    groups = (
        (_("The survivor"), Survivor, Survivor.DETAIL_FIELDS),
        (_("Questions funders ask"), Survivor, Survivor.CLASSIFICATION_FIELDS),
        (_("The referral"), Case, Case.REFERRAL_FIELDS),
        (_("If the survivor is under 18"), Case, GUARDIAN_FIELDS),
    )
    fields = {}
    for group, model, attributes in groups:
        label = next(key for key, value in MODELS.items() if value is model)
        for attribute in attributes:
            name = f"{label}.{attribute}"
            fields[name] = Field(
                name=name,
                group=group,
                model=model,
                required=model._meta.get_field(attribute).formfield().required,
                needed_by=tuple(needed.get(name, ())),
                reported=name in REPORTED,
            )
    return fields


class _Shown(dict):
    """Whether each field of a model is shown, for templates: a field not in the catalogue always is."""

    def __missing__(self, key):
        return True


@dataclass(frozen=True)
class Asked:
    """How every intake field is asked: the states of those not asked as built, by name."""

    states: Mapping[str, str]

    def state_of(self, name: str) -> str:
        return self.states.get(name, State.SHOWN)

    def hidden(self, model_label: str) -> frozenset[str]:
        """The names (without the model's) of ``model_label``'s hidden fields."""
        return self._in(model_label, State.HIDDEN)

    def optional(self, model_label: str) -> frozenset[str]:
        """The names (without the model's) of ``model_label``'s fields made optional."""
        return self._in(model_label, State.OPTIONAL)

    def kept(self, model_label: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` without the hidden fields of ``model_label``: what a save may store."""
        hidden = self.hidden(model_label)
        return {name: value for name, value in values.items() if name not in hidden}

    @cached_property
    def shown(self) -> dict[str, _Shown]:
        """``shown["survivor"]["legal_name"]``: whether a page or printout shows the field."""
        shown = {label: _Shown() for label in MODELS}
        for name in catalogue():
            label, attribute = name.split(".", 1)
            shown[label][attribute] = self.state_of(name) != State.HIDDEN
        return shown

    def name_of(self, survivor: Survivor) -> str:
        """The name a page or printout may show: the preferred name, else the legal name, each
        only while its field is not hidden; empty when neither may be shown."""
        shown = self.shown["survivor"]
        for attribute in ("preferred_name", "legal_name"):
            if shown[attribute] and getattr(survivor, attribute):
                return getattr(survivor, attribute)
        return ""

    def _in(self, model_label: str, state: str) -> frozenset[str]:
        prefix = f"{model_label}."
        return frozenset(
            name.removeprefix(prefix)
            for name, value in self.states.items()
            if value == state and name.startswith(prefix)
        )


AS_BUILT = Asked(states={})


def current() -> Asked:
    """How the fields are asked now, in one query.

    A row for a field that left the catalogue, or that a rule has come to need since, is
    ignored: the field is asked as built.
    """
    fields = catalogue()
    rows = IntakeField.objects.exclude(state=State.SHOWN).values_list("name", "state")
    return Asked(states={name: state for name, state in rows if name in fields and not fields[name].needed_by})
