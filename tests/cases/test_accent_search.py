"""Names as people type them: the case list's search and the duplicate check ignore accents and case.

On PostgreSQL through the pages and the choke point, as the rest of the suite; on SQLite (the demo)
through the same queries on an in-memory database of their own.
"""

from datetime import date

import pytest
from django.urls import reverse

from cases import history, permissions, queries
from cases.models import Case, Survivor
from cases.services import fields as field_settings
from tests.factories import edit_survivor, make_case
from tests.sqlite import in_memory_sqlite

NOTHING_FOUND = permissions.PossibleDuplicates(visible=[], hidden=False)


def on_team_a(world, legal_name, **details) -> Case:
    return make_case(team=world.team_a, specialists=[world.specialist], legal_name=legal_name, **details)


def search(client, q) -> list[int]:
    response = client.post(reverse("cases:list"), {"q": q})
    assert response.status_code == 200
    return [case.pk for case in response.context["page"].object_list]


def duplicates(user, *names, date_of_birth=None) -> permissions.PossibleDuplicates:
    return permissions.possible_duplicates(user, names=list(names), date_of_birth=date_of_birth)


# Search ---------------------------------------------------------------------------------------------


def test_search_finds_an_accented_name_typed_plainly(client, world):
    case = on_team_a(world, "José Núñez")
    client.force_login(world.specialist)

    typed = ["jose nunez", "Jose Nunez", "NUNEZ", "nun", "jose  nunez"]

    assert [search(client, q) for q in typed] == [[case.pk]] * len(typed)


def test_search_finds_a_plain_name_typed_with_accents(client, world):
    case = on_team_a(world, "Jose Nunez")
    client.force_login(world.specialist)

    typed = ["José Núñez", "JOSÉ", "Núñ", "nuñez"]

    assert [search(client, q) for q in typed] == [[case.pk]] * len(typed)


def test_search_finds_a_preferred_name_and_an_other_name_without_their_accents(client, world):
    case = on_team_a(world, "Rosa Delgado", preferred_name="Chayo Ibáñez", aliases="Mari Q\nLa Güera")
    client.force_login(world.specialist)

    assert (search(client, "ibanez"), search(client, "LA GUERA"), search(client, "güera")) == ([case.pk],) * 3


def test_search_still_finds_a_misspelt_accented_name(client, world):
    case = on_team_a(world, "Marisol Quintéro")
    client.force_login(world.specialist)

    assert search(client, "marisol quinteros") == [case.pk]


def test_search_does_not_find_a_different_name(client, world):
    on_team_a(world, "José Núñez", aliases="La Güera")
    client.force_login(world.specialist)

    assert (search(client, "Pedro Lindqvist"), search(client, "Jesús"), search(client, "\u0301")) == ([], [], [])


def test_search_never_finds_an_accented_name_the_user_cannot_see(client, world):
    make_case(team=world.team_b, specialists=[world.outsider], legal_name="José Núñez")
    client.force_login(world.specialist)

    assert search(client, "jose nunez") == []


@pytest.mark.parametrize("size", [1, 5])
def test_an_accented_search_costs_the_same_queries_at_any_number_of_matches(
    client, world, django_assert_num_queries, size
):
    for n in range(size):
        on_team_a(world, f"José Núñez {n}")
    client.force_login(world.specialist)
    search(client, "jose nunez")  # warm the per-process content-type caches

    with django_assert_num_queries(8):
        found = search(client, "JOSE NUNEZ")

    assert len(found) == size


# The duplicate check --------------------------------------------------------------------------------


def test_the_duplicate_check_finds_an_accented_name_typed_plainly(world):
    case = on_team_a(world, "José Núñez", date_of_birth=date(1990, 6, 1))

    found = [duplicates(world.specialist, name) for name in ("jose nunez", "JOSE NUNEZ", "Jose Nunes")]

    assert found == [permissions.PossibleDuplicates(visible=[case], hidden=False)] * 3


def test_the_duplicate_check_finds_a_plain_name_typed_with_accents(world):
    case = on_team_a(world, "Jose Nunez")

    found = [duplicates(world.specialist, name) for name in ("José Núñez", "JOSÉ NÚÑEZ")]

    assert found == [permissions.PossibleDuplicates(visible=[case], hidden=False)] * 2


def test_the_duplicate_check_finds_an_other_name_and_a_preferred_name_without_accents(world):
    by_alias = on_team_a(world, "Rosa Delgado", aliases="Mari Q\nLa Güera")
    by_preferred = on_team_a(world, "Ana Torres", preferred_name="Chayo Ibáñez")

    assert (duplicates(world.specialist, "la guera"), duplicates(world.specialist, "", "CHAYO IBANEZ")) == (
        permissions.PossibleDuplicates(visible=[by_alias], hidden=False),
        permissions.PossibleDuplicates(visible=[by_preferred], hidden=False),
    )


def test_the_same_birth_date_makes_a_weaker_accented_match_enough(world):
    case = on_team_a(world, "Katherine Oduyá", date_of_birth=date(1990, 6, 1))

    same_day = duplicates(world.specialist, "kat odu", date_of_birth=date(1990, 6, 1))
    other_day = duplicates(world.specialist, "kat odu", date_of_birth=date(1990, 6, 2))

    assert (same_day, other_day) == (permissions.PossibleDuplicates(visible=[case], hidden=False), NOTHING_FOUND)


def test_an_accented_match_the_user_cannot_see_is_told_and_nothing_more(world):
    make_case(team=world.team_b, specialists=[world.outsider], legal_name="José Núñez")

    assert duplicates(world.specialist, "jose nunez") == permissions.PossibleDuplicates(visible=[], hidden=True)


def test_the_duplicate_check_finds_no_different_name(world):
    on_team_a(world, "José Núñez", aliases="La Güera")
    make_case(team=world.team_b, specialists=[world.outsider], legal_name="Jesús Ibáñez")

    assert duplicates(world.specialist, "Pedro Lindqvist", "Ana") == NOTHING_FOUND


# The folded names, kept and hidden ------------------------------------------------------------------


def test_an_edited_name_is_found_by_its_new_spelling_only(client, world):
    case = on_team_a(world, "Jose Nunez")
    edit_survivor(case, by=world.specialist, legal_name="Zoë Ångström", aliases="Çiçek")
    client.force_login(world.specialist)

    survivor = Survivor.objects.get(pk=case.survivor_id)
    assert (survivor.legal_name_key, survivor.preferred_name_key, survivor.aliases_key) == ("zoe angstrom", "", "cicek")
    found = [search(client, q) for q in ("zoe angstrom", "ZOË", "cicek", "nunez")]
    assert found == [[case.pk], [case.pk], [case.pk], []]


def test_the_history_shows_the_names_changed_and_not_their_folded_copies(world):
    case = on_team_a(world, "Jose Nunez")
    edit_survivor(case, by=world.specialist, legal_name="José Núñez", aliases="La Güera")

    entries = history.case_history(case, sensitive=True)

    edited = next(e for e in entries if e.subject == "Survivor" and e.action == "Changed")
    shown = {change.field for entry in entries for change in entry.changes}
    keys = {str(Survivor._meta.get_field(key).verbose_name) for key in Survivor.NAME_KEYS.values()}
    assert {change.field for change in edited.changes} == {"legal name", "other names"}
    assert (shown & keys, "legal name" in shown) == (set(), True)


def test_clearing_a_hidden_name_field_takes_its_folded_copy_too(client, world):
    case = on_team_a(world, "Rosa Delgado", aliases="La Güera")
    field_settings.set_state("survivor.aliases", "hidden", by=world.director)

    field_settings.clear_stored_values("survivor.aliases", by=world.director, reason="Not kept.")

    client.force_login(world.specialist)
    survivor = Survivor.objects.get(pk=case.survivor_id)
    kept = set(Survivor.history.filter(id=survivor.pk).values_list("aliases", "aliases_key"))
    assert (survivor.aliases, survivor.aliases_key, kept) == ("", "", {("", "")})
    assert search(client, "la guera") == []


# The SQLite demo ------------------------------------------------------------------------------------

SQLITE = "accent_search_sqlite"


@pytest.fixture
def sqlite(db):
    """An in-memory SQLite database with the survivor and case tables, the demo's engine: the
    queries read from it through ``.using``. Other tables are missing, so foreign keys go unchecked."""
    with in_memory_sqlite(SQLITE, (Survivor, Survivor.history.model, Case)) as database:
        yield database


def test_on_sqlite_search_and_the_duplicate_check_ignore_accents_and_case(sqlite, world):
    by = world.director.pk

    def register(legal_name, **names) -> str:
        survivor = Survivor(
            legal_name=legal_name, client_code=f"BL-{legal_name[:3].upper()}", created_by_id=by, **names
        )
        survivor.save(using=SQLITE)  # as the services save it: the model keeps the folded names
        Case.objects.using(SQLITE).bulk_create([Case(survivor=survivor, team_id=world.team_a.pk, created_by_id=by)])
        return legal_name

    jose = register("José Núñez", aliases="La Güera")
    maria = register("Maria Pena", preferred_name="Mari")
    cases, survivors = Case.objects.using(SQLITE).all(), Survivor.objects.using(SQLITE).all()

    def found(text) -> set[str]:
        return set(queries.search(cases, text).values_list("survivor__legal_name", flat=True))

    def alike(*names) -> list[str]:
        similar = queries.similar_survivors(survivors, names=list(names), date_of_birth=None, limit=5)
        return [survivor.legal_name for survivor in similar]

    assert sqlite.vendor == "sqlite"
    assert [found(text) for text in ("jose nunez", "NÚÑEZ", "la guera", "MARÍA PEÑA", "mari", "Pedro")] == [
        {jose}, {jose}, {jose}, {maria}, {maria}, set(),
    ]  # fmt: skip
    assert [alike("JOSE NUNEZ"), alike("", "maría peña"), alike("Pedro Lindqvist")] == [[jose], [maria], []]
    assert [queries.any_similar_survivor(survivors, names=[name]) for name in ("GÜERA", "Pedro")] == [True, False]
