"""What the training tests share: a course (a curriculum and a trainer certified for it), a small
set of surveys whose results are worked out by hand in test_evaluation, times in the program's
time zone, a survey's items and a record's history."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from tests.factories import enter_survey, make_event
from training.models import Curriculum, Item, SurveyInstrument, Trainer, TrainingEvent

# Nine paper surveys of one event: four before, five after. Each row is
# (field of work, knowledge scores, beliefs scores, comfort scores), the scores of the first
# items of each construct in order; the items after them are left blank.
BEFORE = [
    ("education", [2, 3], [6, 2], [4, 8]),
    ("education", [1, 2, 3], [5, 3], [5, 8]),
    ("law enforcement", [3, 3], [7, 2], [3, 8]),
    ("", [2], [6], [5, 8]),  # no field of work given: counted under Other
]
AFTER = [
    ("education", [4, 5], [3, 4], [8, 6]),
    ("education", [4, 4, 4], [2, 3], [7, 7]),
    ("law enforcement", [5, 4], [4, 5], [9, 6]),
    ("", [3, 4], [3, 4], [8, 5]),
    ("other", [4], [3], [8, 6]),
]


def enter(event, by, phase: str, rows: list) -> list:
    """Type in the paper surveys ``rows`` (BEFORE or AFTER) for ``event``."""
    return [
        enter_survey(event, by, phase=phase, field_of_work=field, knowledge=k, beliefs=b, comfort=c)
        for field, k, b, c in rows
    ]


# Long before any event of the tests: every trainer of ``course`` is certified from then on.
CERTIFIED_ON = date(2020, 1, 1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """``day`` at ``hour``:``minute`` in the program's time zone."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone())


def items_of(instrument: SurveyInstrument, code: str) -> list[Item]:
    """The items of ``instrument``'s construct ``code``, in their printed order."""
    return list(Item.objects.filter(construct__instrument=instrument, construct__code=code).order_by("position"))


def attendee(name: str = "Ada Attendee", **details) -> dict:
    """An attendee's details as the sign-in list form sends them."""
    return {"full_name": name, "organization": "", "field_of_work": "", "position": "", "email": "", **details}


def reasons(history) -> list[tuple[int | None, str]]:
    """Each history row's author and reason, oldest first."""
    return list(history.order_by("history_id").values_list("history_user", "history_change_reason"))


@dataclass
class Course:
    """A curriculum and a trainer certified to teach it; ``event`` records an event of it."""

    curriculum: Curriculum
    trainer: Trainer
    by: object

    def event(self, **kwargs) -> TrainingEvent:
        kwargs.setdefault("curriculum", self.curriculum)
        kwargs.setdefault("trainers", [self.trainer])
        return make_event(self.by, **kwargs)
