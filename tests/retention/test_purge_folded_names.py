"""A purge takes the folded copies of a survivor's names (``Survivor.NAME_KEYS``) with the names."""

from django.utils import timezone

from cases import permissions, queries
from cases.models import Case, Survivor
from retention.models import Level
from retention.purge import purge_case, purge_survivor
from tests.factories import edit_survivor, make_case

KEYS = tuple(Survivor.NAME_KEYS.values())


def test_a_whole_purge_blanks_the_folded_names_in_the_row_and_every_history_row(world):
    case = make_case(
        team=world.team_a, specialists=[world.specialist], legal_name="José Núñez", preferred_name="Pepé",
        aliases="La Güera",
    )  # fmt: skip
    edit_survivor(case, by=world.specialist, legal_name="José Núñez Ortiz")
    survivor = Survivor.objects.get(pk=case.survivor_id)
    rows = Survivor.history.filter(id=survivor.pk)
    visible = permissions.visible_cases(world.specialist)
    kept_before = (
        set(rows.values_list(*KEYS)),
        list(queries.search(visible, "jose nunez").values_list("pk", flat=True)),
    )

    purge_case(case, Level.IDENTITY, today=timezone.localdate())
    purge_survivor(survivor, today=timezone.localdate())

    survivor.refresh_from_db()
    assert kept_before == ({("jose nunez", "pepe", "la guera"), ("jose nunez ortiz", "pepe", "la guera")}, [case.pk])
    assert tuple(getattr(survivor, key) for key in KEYS) == ("", "", "")
    assert set(rows.values_list(*KEYS)) == {("", "", "")}
    assert list(queries.search(visible, "jose nunez").values_list("pk", flat=True)) == []
    assert permissions.possible_duplicates(world.specialist, names=["jose nunez"], date_of_birth=None).visible == []
    assert Case.objects.filter(survivor=survivor).count() == 1  # the row stays, as reports count it
