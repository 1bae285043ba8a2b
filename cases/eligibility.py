"""Whether the program can serve a survivor, with the reasons in plain words.

Three criteria, from the program's settings and the screening: age (the minimum age),
where they live (the towns of the service area) and a trafficking situation (the
screening's determination). ``assess`` is pure; ``eligibility_of`` gathers its inputs.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from cases import amp

# The intake fields these checks read, so that they are always asked as built (``cases.fields``):
# the age comes from the date of birth or else the estimated age, the service area from the town.
NEEDS = ("survivor.date_of_birth", "survivor.estimated_age", "survivor.town")


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not eligible"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class Check:
    name: str
    met: bool | None  # None: not known yet
    explanation: str


@dataclass(frozen=True)
class Eligibility:
    checks: tuple[Check, ...]
    overridden: bool = False
    override_reason: str = ""
    overridden_by: str = ""

    @property
    def rules_outcome(self) -> Outcome:
        """What the rules alone say, before any supervisor's decision."""
        if any(check.met is False for check in self.checks):
            return Outcome.NOT_ELIGIBLE
        if any(check.met is None for check in self.checks):
            return Outcome.INCOMPLETE
        return Outcome.ELIGIBLE

    @property
    def outcome(self) -> Outcome:
        return Outcome.ELIGIBLE if self.overridden else self.rules_outcome

    @property
    def eligible(self) -> bool:
        return self.outcome == Outcome.ELIGIBLE


@dataclass(frozen=True)
class Town:
    name: str
    in_service_area: bool


def assess(
    *,
    age: int | None,
    age_is_estimated: bool,
    town: Town | None,
    service_area: list[str],
    determination: str | None,
    minimum_age: int,
) -> tuple[Check, ...]:
    """The three checks, each met, not met or not known, with a sentence saying why."""
    return (
        _age_check(age, age_is_estimated, minimum_age),
        _area_check(town, service_area),
        _trafficking_check(determination),
    )


def _age_check(age: int | None, estimated: bool, minimum_age: int) -> Check:
    name = _("Age")
    if age is None:
        return Check(name, None, _("Their date of birth or an estimated age is needed."))
    values = {"age": age, "minimum": minimum_age}
    if age < minimum_age:
        return Check(name, False, _("%(age)s is under the program's minimum age of %(minimum)s.") % values)
    if estimated:
        return Check(name, True, _("About %(age)s (estimated), at or over the minimum age of %(minimum)s.") % values)
    return Check(name, True, _("%(age)s, at or over the minimum age of %(minimum)s.") % values)


def _area_check(town: Town | None, service_area: list[str]) -> Check:
    name = _("Service area")
    towns = ", ".join(service_area)
    if town is None:
        if not towns:
            return Check(name, None, _("Their town is needed."))
        return Check(name, None, _("Their town is needed. The service area is %(towns)s.") % {"towns": towns})
    if not town.in_service_area:
        return Check(
            name, False, _("%(town)s is outside the service area (%(towns)s).") % {"town": town.name, "towns": towns}
        )
    return Check(name, True, _("%(town)s is in the service area.") % {"town": town.name})


def _trafficking_check(determination: str | None) -> Check:
    name = _("Trafficking situation")
    if determination is None:
        return Check(name, None, _("No screening yet."))
    label = amp.Determination(determination).label
    if determination == amp.Determination.NOT_MET:
        return Check(name, False, _("The screening found the criteria for trafficking were not met."))
    if determination == amp.Determination.UNCERTAIN:
        return Check(name, None, _("The screening is uncertain; a supervisor can decide."))
    return Check(name, True, _("The screening found: %(determination)s.") % {"determination": label})


def eligibility_of(case, *, minimum_age: int, service_area: list[str], determination: str | None) -> Eligibility:
    """The case's eligibility from its survivor, its screening's ``determination`` and the program's settings."""
    survivor = case.survivor
    town = Town(survivor.town.name, survivor.town.in_service_area) if survivor.town_id else None
    checks = assess(
        age=case.age_at_intake,
        age_is_estimated=survivor.age_is_estimated,
        town=town,
        service_area=service_area,
        determination=determination,
        minimum_age=minimum_age,
    )
    by = ""
    if case.eligibility_overridden and case.eligibility_overridden_by_id:
        by = case.eligibility_overridden_by.full_name
    return Eligibility(
        checks=checks,
        overridden=case.eligibility_overridden,
        override_reason=case.eligibility_override_reason,
        overridden_by=by,
    )
