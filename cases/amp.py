"""The Action-Means-Purpose screening: its words, and the determination the answers lead to.

The rules are the federal TVPA definitions (DOMAIN.md). Sex trafficking needs an action, a
commercial sex act as the purpose, and force, fraud or coercion, except that no means needs to
be shown when the person was under 18. Labor trafficking needs one of the five core actions
(patronizing, soliciting and advertising count only for sex trafficking), labor or services as
the purpose, and force, fraud or coercion at any age.

A screening guides the specialist's work; it is not a legal finding. This module is pure: no
database, so forms, views and reports can all ask it the same question.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

# The intake fields the rule for minors reads, through the survivor's age at intake
# (``queries.minor_at_exploitation``); ``cases.fields`` keeps them asked as built.
NEEDS = ("survivor.date_of_birth", "survivor.estimated_age")


class Action(models.TextChoices):
    RECRUITS = "recruits", _("Recruiting")
    HARBORS = "harbors", _("Harboring")
    TRANSPORTS = "transports", _("Transporting")
    PROVIDES = "provides", _("Providing")
    OBTAINS = "obtains", _("Obtaining")
    PATRONIZES = "patronizes", _("Patronizing")
    SOLICITS = "solicits", _("Soliciting")
    ADVERTISES = "advertises", _("Advertising")


SEX_ONLY_ACTIONS = frozenset({Action.PATRONIZES, Action.SOLICITS, Action.ADVERTISES})


class Means(models.TextChoices):
    # Force
    PHYSICAL_ASSAULT = "physical assault", _("Physical assault")
    SEXUAL_ASSAULT = "sexual assault", _("Sexual assault")
    CONFINEMENT = "confinement", _("Confinement")
    # Fraud
    FALSE_PROMISES_WORK = "false promises work", _("False promises about work")
    FALSE_PROMISES_LIVING = "false promises living", _("False promises about living conditions")
    WITHHELD_WAGES = "withheld wages", _("Withheld wages")
    # Coercion
    THREATS_OF_HARM = "threats of harm", _("Threats of harm")
    THREATS_OF_DEPORTATION = "threats of deportation", _("Threats of deportation")
    DEBT_BONDAGE = "debt bondage", _("Debt bondage")
    PSYCHOLOGICAL_MANIPULATION = "psychological manipulation", _("Psychological manipulation")
    CONFISCATED_DOCUMENTS = "confiscated documents", _("Confiscated documents")


class MeansKind(models.TextChoices):
    FORCE = "force", _("Force")
    FRAUD = "fraud", _("Fraud")
    COERCION = "coercion", _("Coercion")


MEANS_BY_KIND: dict[MeansKind, tuple[Means, ...]] = {
    MeansKind.FORCE: (Means.PHYSICAL_ASSAULT, Means.SEXUAL_ASSAULT, Means.CONFINEMENT),
    MeansKind.FRAUD: (Means.FALSE_PROMISES_WORK, Means.FALSE_PROMISES_LIVING, Means.WITHHELD_WAGES),
    MeansKind.COERCION: (
        Means.THREATS_OF_HARM,
        Means.THREATS_OF_DEPORTATION,
        Means.DEBT_BONDAGE,
        Means.PSYCHOLOGICAL_MANIPULATION,
        Means.CONFISCATED_DOCUMENTS,
    ),
}

_KIND_OF_MEANS = {means: kind for kind, group in MEANS_BY_KIND.items() for means in group}


def kind_of(means: str) -> MeansKind:
    """Force, fraud or coercion, for one means; ValueError for a value that is not a means."""
    return _KIND_OF_MEANS[Means(means)]


class Purpose(models.TextChoices):
    COMMERCIAL_SEX = "commercial sex", _("A commercial sex act")
    LABOR = "labor", _("Labor or services")


class Element(models.TextChoices):
    ACTION = "action", _("Action")
    MEANS = "means", _("Means")
    PURPOSE = "purpose", _("Purpose")


class Determination(models.TextChoices):
    SEX = "sex", _("Sex trafficking")
    LABOR = "labor", _("Labor trafficking")
    BOTH = "both", _("Sex and labor trafficking")
    NOT_MET = "not met", _("Criteria not met")
    UNCERTAIN = "uncertain", _("Uncertain")


@dataclass(frozen=True)
class Answers:
    actions: frozenset[str] = frozenset()
    means: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    minor: bool | None = None  # under 18 at the time of exploitation; None when not known
    unsure: frozenset[str] = frozenset()  # Elements the screener could not establish yet


@dataclass(frozen=True)
class Result:
    determination: Determination
    reasons: tuple[str, ...]  # plain-language sentences in the active language


class EmptyScreening(ValueError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Record at least one action, means or purpose, or mark what could not be established, "
                "before asking for a determination."
            )
        )


def determine(answers: Answers) -> Result:
    """The determination the answers support, with the reasons in plain words.

    Raises EmptyScreening when nothing was recorded or marked unsure (age alone is not a
    screening), and ValueError for a value that is not one of the choices above. An item that
    was recorded counts even if its element is also marked unsure.
    """
    _check(answers)
    met = [kind for kind in _KINDS if not _missing(kind, answers)]
    if len(met) == 2:
        determination = Determination.BOTH
    elif met:
        determination = met[0]
    elif any(_could_still_apply(kind, answers) for kind in _KINDS):
        determination = Determination.UNCERTAIN
    else:
        determination = Determination.NOT_MET
    reasons = [*_found(answers), *_notes(answers), *_conclusions(met), *_gaps(met, answers)]
    return Result(determination=determination, reasons=tuple(reasons))


# --- the rules --------------------------------------------------------------------------------

# The two types of trafficking, named by their determination.
_KINDS = (Determination.SEX, Determination.LABOR)
_PURPOSE_OF = {Determination.SEX: Purpose.COMMERCIAL_SEX, Determination.LABOR: Purpose.LABOR}


def _check(answers: Answers) -> None:
    fields = (
        ("actions", answers.actions, Action),
        ("means", answers.means, Means),
        ("purposes", answers.purposes, Purpose),
        ("unsure", answers.unsure, Element),
    )
    for name, given, choices in fields:
        unknown = sorted(repr(value) for value in given if value not in choices.values)
        if unknown:
            raise ValueError(f"Unknown {name} in the screening: {', '.join(unknown)}.")
    if not (answers.actions or answers.means or answers.purposes or answers.unsure):
        raise EmptyScreening


def _missing(kind: Determination, answers: Answers) -> tuple[Element, ...]:
    """The elements a type of trafficking still lacks; empty when the answers meet it."""
    if kind == Determination.SEX:
        has_action = bool(answers.actions)
        has_means = bool(answers.means) or answers.minor is True
    else:
        has_action = bool(set(answers.actions) - SEX_ONLY_ACTIONS)
        has_means = bool(answers.means)
    present = {
        Element.ACTION: has_action,
        Element.MEANS: has_means,
        Element.PURPOSE: _PURPOSE_OF[kind] in answers.purposes,
    }
    return tuple(element for element, found in present.items() if not found)


def _unknown(kind: Determination, element: Element, answers: Answers) -> bool:
    """Whether what is not yet known could still supply a missing element."""
    if element in answers.unsure:
        return True
    # An unknown age can stand in for the means of sex trafficking: a minor needs none.
    return kind == Determination.SEX and element == Element.MEANS and answers.minor is None


def _could_still_apply(kind: Determination, answers: Answers) -> bool:
    return all(_unknown(kind, element, answers) for element in _missing(kind, answers))


def _in_question(kind: Determination, answers: Answers) -> bool:
    """Whether the type's purpose was recorded or is not yet known, so its other gaps matter."""
    return _PURPOSE_OF[kind] in answers.purposes or Element.PURPOSE in answers.unsure


# --- the reasons: fixed sentences are translated when a determination is asked for -----------

_LACKS = {
    (Determination.SEX, Element.ACTION): _("Sex trafficking needs an action, and none was recorded."),
    (Determination.SEX, Element.MEANS): _(
        "Sex trafficking needs force, fraud or coercion unless the person was under 18, and none was recorded."
    ),
    (Determination.SEX, Element.PURPOSE): _(
        "Sex trafficking needs a commercial sex act as the purpose, and none was recorded."
    ),
    (Determination.LABOR, Element.ACTION): _(
        "Labor trafficking needs recruiting, harboring, transporting, providing or obtaining, and none was recorded."
    ),
    (Determination.LABOR, Element.MEANS): _(
        "Labor trafficking needs force, fraud or coercion at any age, and none was recorded."
    ),
    (Determination.LABOR, Element.PURPOSE): _(
        "Labor trafficking needs labor or services as the purpose, and none was recorded."
    ),
}

_NOT_YET_KNOWN = {
    Element.ACTION: _("The actions are not yet fully known."),
    Element.MEANS: _("It is not yet known whether force, fraud or coercion was used."),
    Element.PURPOSE: _("The purpose is not yet fully known."),
}

_MEETS = {
    Determination.SEX: _("The answers meet the federal definition of sex trafficking."),
    Determination.LABOR: _("The answers meet the federal definition of labor trafficking."),
}

_MAY_STILL_APPLY = {
    Determination.SEX: _("Sex trafficking may still apply once this is known."),
    Determination.LABOR: _("Labor trafficking may still apply once this is known."),
}


def _labels(choices: type[models.TextChoices], values: frozenset[str]) -> str:
    # Declaration order, so the same answers always read the same way.
    return ", ".join(str(label) for value, label in choices.choices if value in values)


def _found(answers: Answers) -> list[str]:
    reasons = []
    if answers.actions:
        sentence = ngettext("Action found: %(items)s.", "Actions found: %(items)s.", len(answers.actions))
        reasons.append(sentence % {"items": _labels(Action, answers.actions)})
    if answers.means:
        sentence = ngettext("Means found: %(items)s.", "Means found: %(items)s.", len(answers.means))
        reasons.append(sentence % {"items": _labels(Means, answers.means)})
    if answers.purposes:
        sentence = ngettext("Purpose found: %(items)s.", "Purposes found: %(items)s.", len(answers.purposes))
        reasons.append(sentence % {"items": _labels(Purpose, answers.purposes)})
    return reasons


def _notes(answers: Answers) -> list[str]:
    """The two rules that most often surprise: age and the sex-only actions."""
    reasons = []
    if answers.minor is True and _in_question(Determination.SEX, answers):
        reasons.append(gettext("The person was under 18, so no means needs to be shown for sex trafficking."))
    only_sex_only_actions = answers.actions and set(answers.actions) <= SEX_ONLY_ACTIONS
    if only_sex_only_actions and Purpose.LABOR in answers.purposes:
        reasons.append(gettext("Patronizing, soliciting or advertising counts only for sex trafficking."))
    return reasons


def _conclusions(met: list[Determination]) -> list[str]:
    return [str(_MEETS[kind]) for kind in met]


def _gaps(met: list[Determination], answers: Answers) -> list[str]:
    """What each type not met lacks, what is not yet known, and which type could still apply."""
    open_kinds = [kind for kind in _KINDS if kind not in met]
    in_question = [kind for kind in open_kinds if _in_question(kind, answers)]
    # Beside a type that is met, a type whose purpose was never in question is only noise.
    reasons = [sentence for kind in (in_question if met else open_kinds) for sentence in _lacks(kind, answers)]
    missing = {element for kind in in_question for element in _missing(kind, answers)}
    reasons += [str(_NOT_YET_KNOWN[element]) for element in Element if element in missing & answers.unsure]
    sex_open = Determination.SEX in in_question
    if sex_open and answers.minor is None and Element.MEANS in _missing(Determination.SEX, answers):
        reasons.append(
            gettext(
                "The person's age at the time is not known. If they were under 18, "
                "no means needs to be shown for sex trafficking."
            )
        )
    reasons += [str(_MAY_STILL_APPLY[kind]) for kind in in_question if _could_still_apply(kind, answers)]
    return reasons


def _lacks(kind: Determination, answers: Answers) -> list[str]:
    """One sentence per element settled as absent; an element not yet known is told apart."""
    if not _in_question(kind, answers):
        # Without its purpose the type does not apply; its other gaps would only add noise.
        return [str(_LACKS[kind, Element.PURPOSE])]
    sentences = []
    for element in _missing(kind, answers):
        if element in answers.unsure:
            continue
        if kind == Determination.SEX and element == Element.MEANS and answers.minor is False:
            sentences.append(
                gettext("Sex trafficking of an adult needs force, fraud or coercion, and none was recorded.")
            )
        else:
            sentences.append(str(_LACKS[kind, element]))
    return sentences
