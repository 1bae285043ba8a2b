"""What the surveys say: average scores before and after training, per construct, overall and by
field of work, with the significance of each difference, and the items that moved the wrong way.

As in the state's evaluation (seed 003), a trainee's score on a construct is the average of
the items they answered in it, on the construct's own scale (Knowledge 1 to 5, Beliefs and
Comfort 1 to 10). Surveys before and after are anonymous, so they are two independent
samples, compared with Welch's t-test (``training.stats``). Constructs are matched across
survey versions by their code, items by their construct and English wording. Responses set
aside are left out. The database does the averaging per response and per item: a few thousand
rows reach Python, never every answer.

A survey answered in Spanish answers the same items as one answered in English (the words of
``bloom.translated`` beside the English): both are pooled, and the evaluation says how many
came in each language. Titles, items and the scale's words are read in the reader's language.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Max, QuerySet
from django.utils.translation import gettext as _

from bloom import translated
from training import stats
from training.models import Answer, Construct, FieldOfWork, SurveyResponse, TrainingEvent

PRE, POST = SurveyResponse.Phase.PRE, SurveyResponse.Phase.POST


@dataclass(frozen=True)
class Scale:
    """How a construct is read: its title, scale and the words at its points (from its latest version)."""

    code: str
    title: str
    low: int
    high: int
    lower_is_better: bool
    construct: Construct

    def words(self, value: float | None) -> str:
        return self.construct.anchor_for(value) if value is not None and self.construct.anchors else ""


@dataclass(frozen=True)
class Cell:
    """One field of work's before and after on a construct."""

    label: str
    comparison: stats.Comparison


@dataclass(frozen=True)
class ConstructResult:
    scale: Scale
    overall: stats.Comparison
    by_field: list[Cell]

    @property
    def rows(self) -> list[tuple[str, stats.Comparison]]:
        """All fields of work first, then each field with any answer."""
        answered = [
            (cell.label, cell.comparison)
            for cell in self.by_field
            if cell.comparison.n_before + cell.comparison.n_after
        ]
        return [(_("All fields of work"), self.overall), *answered]


@dataclass(frozen=True)
class ItemChange:
    construct_title: str
    text: str
    lower_is_better: bool
    n_before: int
    n_after: int
    mean_before: float
    mean_after: float

    @property
    def difference(self) -> float:
        return self.mean_after - self.mean_before

    @property
    def worse(self) -> bool:
        """Whether the item moved the wrong way: down, or up where lower is better."""
        return self.difference > 0 if self.lower_is_better else self.difference < 0


@dataclass
class Evaluation:
    events: int = 0
    n_before: int = 0
    n_after: int = 0
    constructs: list[ConstructResult] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)
    # How many surveys were answered in each language, by the language's own name, most first.
    by_language: list[tuple[str, int]] = field(default_factory=list)

    @property
    def worse_items(self) -> list[ItemChange]:
        return [item for item in self.items if item.worse]

    @property
    def is_empty(self) -> bool:
        return not (self.n_before or self.n_after)


def events_between(events: QuerySet[TrainingEvent], start: date, end: date) -> QuerySet[TrainingEvent]:
    """The events among ``events`` that started on a day from ``start`` to ``end``, both included."""
    return events.filter(starts_at__date__gte=start, starts_at__date__lte=end)


def _scales(responses: QuerySet[SurveyResponse]) -> dict[str, Scale]:
    """Each construct code used by ``responses``, read as its latest version reads it."""
    latest = {}
    constructs = Construct.objects.filter(instrument__in=responses.values("instrument")).order_by(
        "position", "instrument__version"
    )
    for construct in constructs:
        latest[construct.code] = construct  # later versions overwrite earlier ones
    return {
        code: Scale(code, c.local("title"), c.scale_min, c.scale_max, c.lower_is_better, c)
        for code, c in latest.items()
    }


def evaluate(events: QuerySet[TrainingEvent]) -> Evaluation:
    """The evaluation of the surveys answered at ``events`` (five queries, whatever their number)."""
    responses = SurveyResponse.objects.filter(event__in=events, set_aside=False)
    counts = defaultdict(int)
    languages = defaultdict(int)
    for phase, language, n in responses.values_list("phase", "language").annotate(n=Count("pk")).order_by():
        counts[phase] += n
        languages[language] += n
    result = Evaluation(
        events=events.filter(responses__set_aside=False).distinct().count(),
        n_before=counts[PRE],
        n_after=counts[POST],
        by_language=sorted(
            ((translated.own_name(code), n) for code, n in languages.items()), key=lambda p: (-p[1], p[0])
        ),
    )
    if result.is_empty:
        return result
    scales = _scales(responses)
    # One row per response and construct: the trainee's average on it.
    per_response = (
        Answer.objects.filter(response__in=responses)
        .values("response_id", "response__phase", "response__field_of_work", "item__construct__code")
        .annotate(score=Avg("score"))
    )
    scores = defaultdict(lambda: {PRE: [], POST: []})
    for row in per_response:
        code, phase = row["item__construct__code"], row["response__phase"]
        scores[(code, None)][phase].append(float(row["score"]))
        scores[(code, row["response__field_of_work"] or FieldOfWork.OTHER)][phase].append(float(row["score"]))
    for code, scale in scales.items():
        overall = scores[(code, None)]
        cells = [
            Cell(str(label), stats.compare(scores[(code, value)][PRE], scores[(code, value)][POST]))
            for value, label in FieldOfWork.choices
        ]
        result.constructs.append(ConstructResult(scale, stats.compare(overall[PRE], overall[POST]), cells))
    result.items = _item_changes(responses, scales)
    return result


def _item_changes(responses: QuerySet[SurveyResponse], scales: dict[str, Scale]) -> list[ItemChange]:
    # By the item's translations too, to name it in the reader's language in the same query: two
    # versions worded alike in English but not in Spanish come as two rows, added together here.
    rows = (
        Answer.objects.filter(response__in=responses)
        .values("item__construct__code", "item__text", "item__translations", "response__phase")
        .annotate(mean=Avg("score"), n=Count("pk"), order=Max("item__position"))
        .order_by("item__construct__code", "item__text", "item__translations", "response__phase")
    )
    by_item = defaultdict(dict)
    words = {}
    for row in rows:
        key = (row["item__construct__code"], row["item__text"])
        if words.get(key, key[1]) == key[1]:  # the first row with words in the reader's language names it
            words[key] = translated.pick(key[1], row["item__translations"], "text")
        by_item[key][row["response__phase"]] = _pooled(by_item[key].get(row["response__phase"]), row)
    changes = []
    codes = list(scales)
    for (code, text), phases in by_item.items():
        if PRE not in phases or POST not in phases or code not in scales:
            continue
        scale = scales[code]
        before, after = phases[PRE], phases[POST]
        change = ItemChange(scale.title, words[(code, text)], scale.lower_is_better, before["n"], after["n"],
                            float(before["mean"]), float(after["mean"]))  # fmt: skip
        changes.append(((codes.index(code), before["order"]), change))
    return [change for _key, change in sorted(changes, key=lambda pair: pair[0])]


def _pooled(earlier: dict | None, row: dict) -> dict:
    """An item's answers in one phase, with those of another row of the same item (``earlier``) added."""
    if earlier is None:
        return row
    n = earlier["n"] + row["n"]
    mean = (float(earlier["mean"]) * earlier["n"] + float(row["mean"]) * row["n"]) / n
    return {**earlier, "n": n, "mean": mean, "order": max(earlier["order"], row["order"])}
