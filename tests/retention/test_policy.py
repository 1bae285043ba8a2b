"""The retention policy: who sets it, the rules between its numbers, and its history."""

import pytest
from django.core.exceptions import PermissionDenied

from bloom.forms import show_refusal
from retention.models import RetentionPolicy
from retention.services import RetentionError, set_policy

GOOD = {
    "narratives_months": 12,
    "documents_months": 18,
    "identity_months": 36,
    "reopen_months": 6,
    "backup_days": 30,
}


def refusal(world, **changes) -> RetentionError:
    with pytest.raises(RetentionError) as raised:
        set_policy(by=world.director, **{**GOOD, **changes})
    return raised.value


def test_the_director_sets_the_policy_with_a_history_row_saying_what_changed(world):
    policy = set_policy(by=world.director, **GOOD)

    stored = RetentionPolicy.objects.get()
    assert policy.snapshot() == stored.snapshot() == GOOD
    last = stored.history.latest()
    assert last.history_user == world.director
    assert last.history_change_reason == 'policy.changed|[["narratives_months","documents_months"]]'


def test_setting_the_same_numbers_again_writes_no_history(world):
    set_policy(by=world.director, **GOOD)
    rows = RetentionPolicy.history.count()

    set_policy(by=world.director, **GOOD)

    assert RetentionPolicy.history.count() == rows


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "finance", "outsider", "administrator"])
def test_only_the_director_sets_the_policy(world, persona):
    with pytest.raises(PermissionDenied):
        set_policy(by=getattr(world, persona), **GOOD)
    assert RetentionPolicy.objects.filter(narratives_months=12).exists() is False


@pytest.mark.parametrize("name", list(GOOD))
@pytest.mark.parametrize("value", [0, -1, -24])
def test_zero_or_negative_is_refused_beside_its_field(world, name, value):
    error = refusal(world, **{name: value})

    assert error.code == name
    assert list(error.error_dict) == [name]
    assert "at least one" in error.messages[0]


@pytest.mark.parametrize("value", ["twelve", "12", 12.5, None, True])
def test_a_number_in_words_or_not_whole_is_refused(world, value):
    error = refusal(world, narratives_months=value)

    assert error.code == "narratives_months"
    assert "whole number" in error.messages[0]


def test_periods_past_fifty_years_are_refused(world):
    assert refusal(world, identity_months=601).code == "identity_months"
    assert refusal(world, backup_days=3651).code == "backup_days"


@pytest.mark.parametrize("name", ["narratives_months", "documents_months", "identity_months"])
def test_a_purge_period_shorter_than_the_reopening_window_is_refused(world, name):
    error = refusal(world, **{name: 5})  # the reopening window is 6 months

    assert error.code == name
    assert "reopening window" in error.messages[0]


def test_identity_cannot_go_before_the_partial_purges(world):
    error = refusal(world, narratives_months=30, identity_months=24)

    assert error.code == "identity_months"
    assert "(kept 30 months)" in error.messages[0]


def test_backups_cannot_outlive_the_shortest_purge_period(world):
    # The shortest period is 12 months: 360 days, a month counted as 30.
    assert set_policy(by=world.director, **{**GOOD, "backup_days": 360}).backup_days == 360

    error = refusal(world, backup_days=361)

    assert error.code == "backup_days"
    assert "(360 days)" in error.messages[0]


def test_a_refused_policy_changes_nothing(world):
    before = RetentionPolicy.load().snapshot()
    rows = RetentionPolicy.history.count()

    refusal(world, reopen_months=13)

    assert RetentionPolicy.load().snapshot() == before
    assert RetentionPolicy.history.count() == rows


def test_a_form_shows_the_refusal_beside_the_field(world):
    from django import forms  # noqa: PLC0415 (a throwaway form, only here)

    class Numbers(forms.Form):
        backup_days = forms.IntegerField()

    form = Numbers(data={"backup_days": "400"})
    assert form.is_valid()

    show_refusal(form, refusal(world, backup_days=400))

    assert list(form.errors) == ["backup_days"]
