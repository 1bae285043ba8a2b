"""The notes phases wrote on withdrawn moves, in the writer's language, become codes (or nothing, where
the status says it); the migration converts those written before."""

import importlib
from datetime import timedelta

from django.apps import apps
from django.utils import timezone, translation

from phases.models import PhaseReview
from phases.services import journey as services
from tests.factories import ask_to_move, make_case, start_plan

migration = importlib.import_module("phases.migrations.0004_stored_words_as_codes")
TODAY = timezone.localdate()


def journey_of(world):
    case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=TODAY - timedelta(days=100))
    return start_plan(case, world.specialist, started_on=TODAY - timedelta(days=90))


def test_a_withdrawn_move_keeps_no_note_in_the_writers_language(world):
    review = ask_to_move(journey_of(world), world.specialist)

    with translation.override("en"):
        services.withdraw_move(review, by=world.specialist)

    review.refresh_from_db()
    assert (review.status, review.decision_note, review.history.latest().history_change_reason) == (
        "withdrawn",
        "",
        "review.withdrawn",
    )


def test_the_migration_converts_the_notes_withdrawn_moves_kept_and_leaves_a_persons(world):
    reviews = [ask_to_move(journey_of(world), world.specialist) for _ in range(3)]
    for review in reviews:
        services.withdraw_move(review, by=world.specialist)
    notes = ["Withdrawn.", "Withdrawn: moved back to Strengthen instead.", "We will ask again in March."]
    for review, note in zip(reviews, notes, strict=True):
        PhaseReview.objects.filter(pk=review.pk).update(decision_note=note)

    migration.to_codes(apps, None)

    assert [PhaseReview.objects.get(pk=review.pk).decision_note for review in reviews] == [
        "",
        "review.withdrawn_back",
        "We will ask again in March.",
    ]
