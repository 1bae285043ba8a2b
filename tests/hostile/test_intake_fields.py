"""Hostile input to the intake fields' page: how a field is asked, and clearing a hidden one.

Each ``Target`` binds the form as the view does and calls the service the view calls; the
harness gives every field every hostile value of its kind, then posts a few through HTTP. What
must hold afterwards: no field a rule needs is ever anything but asked as built, every setting
is of the catalogue and in its list, and a hidden field holds nothing once cleared.
"""

import pytest

from cases import fields
from cases.forms.fields import ClearStoredValuesForm, FieldStateForm
from cases.models import IntakeField, Survivor
from cases.services import fields as settings
from tests.factories import edit_survivor
from tests.hostile.harness import Target, attack, every_row_has_history, post_through_http, saved
from tests.objects import Objects


def hidden_phone(o: Objects) -> str:
    """The survivor's phone, hidden (it holds a value on case A): a field there is something to clear of."""
    edit_survivor(o.world.case_a, by=o.world.specialist, phone="860-555-0142")
    settings.set_state("survivor.phone", IntakeField.State.HIDDEN, by=o.world.director)
    return "survivor.phone"


TARGETS = [
    Target(
        "cases/fields/state/",
        "director",
        bind=lambda o, data, files: FieldStateForm(data),
        valid=lambda o: {"name": "survivor.email", "state": IntakeField.State.HIDDEN},
        submit=saved(
            lambda o, form: settings.set_state(
                form.cleaned_data["name"], form.cleaned_data["state"], by=o.world.director
            ),
            settings.FieldSettingError,
        ),
        path=lambda o: "/cases/fields/state/",
        shows=lambda o: ["/cases/fields/", "/cases/new/", f"/cases/{o.world.case_a.pk}/"],
    ),
    Target(
        "cases/fields/clear/",
        "director",
        bind=lambda o, data, files: ClearStoredValuesForm(data),
        valid=lambda o: {"name": hidden_phone(o), "reason": "The program no longer keeps phone numbers."},
        submit=saved(
            lambda o, form: settings.clear_stored_values(
                form.cleaned_data["name"], by=o.world.director, reason=form.cleaned_data["reason"]
            ),
            settings.FieldSettingError,
        ),
        path=lambda o: "/cases/fields/clear/",
        shows=lambda o: ["/cases/fields/", f"/cases/{o.world.case_a.pk}/history/"],
    ),
]

BY_ROUTE = pytest.mark.parametrize("target", TARGETS, ids=str)


def assert_fields_consistent() -> None:
    catalogue = fields.catalogue()
    for name, state in IntakeField.objects.values_list("name", "state"):
        assert name in catalogue, name
        assert state in IntakeField.State.values, (name, state)
        assert state == IntakeField.State.SHOWN or not catalogue[name].needed_by, name
        if state == IntakeField.State.OPTIONAL:
            assert catalogue[name].required, name
    # A clearing that was stored left no value behind (the target's only field with values is the phone).
    cleared = IntakeField.history.filter(name="survivor.phone", history_change_reason__startswith="field.cleared_in|")
    if cleared.exists():
        assert not Survivor.objects.exclude(phone="").exists()
        assert not Survivor.objects.exclude(phone_digits="").exists()


@BY_ROUTE
def test_every_field_takes_every_hostile_value(objects, target):
    outcome = attack(target, objects)

    assert_fields_consistent()
    every_row_has_history()
    assert outcome.stored > 0, f"nothing was stored: refused {outcome.refused}"


@BY_ROUTE
def test_hostile_posts_through_the_whole_stack(objects, target):
    post_through_http(target, objects)

    assert_fields_consistent()
    every_row_has_history()
