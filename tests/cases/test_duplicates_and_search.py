"""The duplicate check while an intake is typed, and the case list's search."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.formats import date_format

from cases import permissions, queries
from cases.models import Case, Survivor
from tests.factories import make_case

HIDDEN_SENTENCE = "There may be an existing record for this person that you cannot see"
NOTHING_FOUND = permissions.PossibleDuplicates(visible=[], hidden=False)


def check(client, **data):
    return client.post(reverse("cases:duplicates"), data)


def on_team_a(world, legal_name, **details) -> Case:
    return make_case(team=world.team_a, specialists=[world.specialist], legal_name=legal_name, **details)


# The duplicate check ---------------------------------------------------------------------------


def test_a_hidden_match_reveals_only_that_it_exists(client, world):
    born = date(1994, 3, 17)
    hidden = make_case(
        team=world.team_b, specialists=[world.outsider], legal_name="Marisol Quintero", date_of_birth=born
    )
    client.force_login(world.specialist)

    response = check(client, legal_name="Marisol Quinteros")

    html = response.content.decode()
    could_leak = [
        "Marisol",
        "Quintero",
        hidden.survivor.client_code,
        hidden.survivor.client_code.removeprefix("BL-"),
        born.isoformat(),
        date_format(born, "DATE_FORMAT"),
        date_format(born, "SHORT_DATE_FORMAT"),
        world.team_b.name,
        world.outsider.full_name,
        hidden.get_absolute_url(),
        "Bea Supervisor",
    ]
    assert response.status_code == 200
    assert HIDDEN_SENTENCE in html
    assert [text for text in could_leak if text in html] == []
    assert response.context["found"] == permissions.PossibleDuplicates(visible=[], hidden=True)


def test_one_hidden_match_and_two_read_the_same(client, world):
    make_case(team=world.team_b, specialists=[world.outsider], legal_name="Marisol Quintero")
    client.force_login(world.specialist)
    one = check(client, legal_name="Marisol Quinteros").content
    make_case(team=world.team_b, specialists=[world.outsider], legal_name="Marisol Quintera")

    two = check(client, legal_name="Marisol Quinteros").content

    seen_by_the_outsider = permissions.possible_duplicates(
        world.outsider, names=["Marisol Quinteros"], date_of_birth=None
    )
    assert len(seen_by_the_outsider.visible) == 2  # both are matches: the test compares like with like
    assert one == two


def test_someone_who_can_see_the_match_gets_its_name_and_link(client, world):
    born = date(1994, 3, 17)
    match = make_case(
        team=world.team_b, specialists=[world.outsider], legal_name="Marisol Quintero", date_of_birth=born
    )
    client.force_login(world.outsider)

    response = check(client, legal_name="Marisol Quinteros")

    html = response.content.decode()
    assert response.context["found"] == permissions.PossibleDuplicates(visible=[match], hidden=False)
    assert "Marisol Quintero" in html
    assert f'href="{match.get_absolute_url()}"' in html
    assert match.survivor.client_code in html
    assert HIDDEN_SENTENCE not in html


def test_a_match_seen_and_another_hidden_are_both_told(client, world):
    seen = on_team_a(world, "Marisol Quintana")
    make_case(team=world.team_b, specialists=[world.outsider], legal_name="Marisol Quintero")
    client.force_login(world.specialist)

    response = check(client, legal_name="Marisol Quinteros")

    assert response.context["found"] == permissions.PossibleDuplicates(visible=[seen], hidden=True)
    assert HIDDEN_SENTENCE in response.content.decode()


def test_an_other_name_matches(client, world):
    case = on_team_a(world, "Rosa Delgado", aliases="Mari Q\nLa Güera")
    client.force_login(world.specialist)

    response = check(client, legal_name="Mari Q")

    assert response.context["found"] == permissions.PossibleDuplicates(visible=[case], hidden=False)


def test_a_preferred_name_typed_matches(client, world):
    case = on_team_a(world, "Rosa Delgado")
    client.force_login(world.specialist)

    response = check(client, legal_name="", preferred_name="Rosa Delgada")

    assert response.context["found"] == permissions.PossibleDuplicates(visible=[case], hidden=False)


def test_the_same_birth_date_makes_a_weaker_name_match_enough(client, world):
    case = on_team_a(world, "Katherine Oduya", date_of_birth=date(1990, 6, 1))
    client.force_login(world.specialist)

    same_day = check(client, legal_name="Kat Odu", date_of_birth="1990-06-01")
    other_day = check(client, legal_name="Kat Odu", date_of_birth="1990-06-02")
    no_day = check(client, legal_name="Kat Odu")

    assert same_day.context["found"] == permissions.PossibleDuplicates(visible=[case], hidden=False)
    assert (other_day.context["found"], no_day.context["found"]) == (NOTHING_FOUND, NOTHING_FOUND)


def test_trying_birth_dates_cannot_reveal_a_hidden_persons(client, world):
    make_case(
        team=world.team_b,
        specialists=[world.outsider],
        legal_name="Katherine Oduya",
        date_of_birth=date(1990, 6, 1),
    )
    client.force_login(world.specialist)

    right_day = check(client, legal_name="Kat Odu", date_of_birth="1990-06-01")
    wrong_day = check(client, legal_name="Kat Odu", date_of_birth="1990-06-02")

    assert (right_day.context["found"], right_day.content) == (NOTHING_FOUND, wrong_day.content)


def test_a_different_name_is_no_match_with_or_without_the_birth_date(client, world):
    on_team_a(world, "Katherine Oduya", date_of_birth=date(1990, 6, 1))
    client.force_login(world.specialist)

    other_day = check(client, legal_name="Pedro Lindqvist", date_of_birth="1985-01-01")
    same_day = check(client, legal_name="Pedro Lindqvist", date_of_birth="1990-06-01")

    assert (other_day.context["found"], same_day.context["found"]) == (NOTHING_FOUND, NOTHING_FOUND)
    assert "This person may already have a record" not in other_day.content.decode()


def test_the_survivor_being_edited_is_not_their_own_duplicate(client, world):
    client.force_login(world.specialist)

    editing = check(client, legal_name="Alma Alpha", case=world.case_a.pk)
    starting = check(client, legal_name="Alma Alpha")

    assert editing.context["found"] == NOTHING_FOUND
    assert starting.context["found"] == permissions.PossibleDuplicates(visible=[world.case_a], hidden=False)


def test_the_duplicate_check_answers_post_only(client, world):
    client.force_login(world.specialist)

    assert client.get(reverse("cases:duplicates"), {"legal_name": "Alma Alpha"}).status_code == 405


@pytest.mark.parametrize("persona", ["finance", "outreach", "volunteer", "trainer", "administrator"])
def test_the_duplicate_check_is_403_for_roles_without_intake(client, world, persona):
    client.force_login(world.everyone()[persona])

    assert check(client, legal_name="Alma Alpha").status_code == 403


def test_the_duplicate_check_is_404_for_a_case_the_user_cannot_see(client, world):
    client.force_login(world.specialist)

    assert check(client, legal_name="Bruno Beta", case=world.case_b.pk).status_code == 404
    assert check(client, legal_name="Bruno Beta", case="not a number").status_code == 404


def test_the_duplicate_check_ignores_a_bad_birth_date(client, world):
    client.force_login(world.specialist)

    response = check(client, legal_name="Alma Alpha", date_of_birth="1990-02-31")

    assert (response.status_code, response.context["found"]) == (200, NOTHING_FOUND)


@pytest.mark.parametrize("size", [1, 5])
def test_duplicate_check_query_count_does_not_grow_with_matches(client, world, django_assert_num_queries, size):
    for _ in range(size):
        on_team_a(world, "Lucia Ferreira", date_of_birth=date(1988, 8, 8))
    client.force_login(world.specialist)
    check(client, legal_name="Lucia Ferreira")  # warm the per-process content-type caches

    with django_assert_num_queries(4):
        response = check(client, legal_name="Lucia Ferreira", date_of_birth="1988-08-08")

    assert len(response.context["found"].visible) == size


def test_one_query_answers_as_the_two_it_stands_for(world):
    born = date(1990, 5, 6)
    for name in ("Marisol Quintero", "Mari Quintana", "Lucia Ferreira"):
        on_team_a(world, name, date_of_birth=born)
        make_case(team=world.team_b, specialists=[world.outsider], legal_name=f"{name}s", date_of_birth=born)
    on_team_a(world, "Zoe Nakamura", aliases="Marisa Q", date_of_birth=born)
    mine = Exists(permissions.visible_cases(world.specialist).filter(survivor=OuterRef("pk")))
    survivors = Survivor.objects.all()

    def both(names, date_of_birth):
        shown = queries.similar_survivors(survivors.filter(mine), names=names, date_of_birth=date_of_birth, limit=2)
        return [survivor.pk for survivor in shown], queries.any_similar_survivor(survivors.exclude(mine), names=names)

    typed = [["Marisol Quinteros", ""], ["Mari", "Lucia"], ["Marisa", ""], ["Nobody Atall", ""], ["", ""]]
    for names in typed:
        for date_of_birth in (None, born):
            one = queries.likely_duplicates(survivors, mine=mine, names=names, date_of_birth=date_of_birth, limit=2)
            assert one == both(names, date_of_birth), (names, date_of_birth)


def test_the_duplicate_check_leaves_the_trigram_thresholds_as_they_were(world):
    on_team_a(world, "Lucia Ferreira")
    thresholds = (
        "SELECT current_setting('pg_trgm.similarity_threshold'), current_setting('pg_trgm.word_similarity_threshold')"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity('a', 'b')")  # pg_trgm's settings exist once it is loaded
        cursor.execute(thresholds)
        before = cursor.fetchone()
        found = permissions.possible_duplicates(world.specialist, names=["Lucia Ferreiro"], date_of_birth=None)
        cursor.execute(thresholds)
        after = cursor.fetchone()

    assert len(found.visible) == 1
    assert after == before == ("0.3", "0.6")


# Search on the case list ---------------------------------------------------------------------------


def search(client, q) -> list[int]:
    response = client.post(reverse("cases:list"), {"q": q})
    assert response.status_code == 200
    return [case.pk for case in response.context["page"].object_list]


def test_search_finds_an_other_name(client, world):
    case = on_team_a(world, "Rosa Delgado", aliases="Mari Q\nLa Güera")
    client.force_login(world.specialist)

    assert search(client, "la güera") == [case.pk]


def test_search_finds_a_phone_typed_another_way(client, world):
    case = on_team_a(world, "Rosa Delgado", phone="(860) 555-0199")
    client.force_login(world.specialist)

    assert search(client, "860 555 0199") == [case.pk]
    assert search(client, "860.555.0199") == [case.pk]


def test_search_finds_a_misspelt_name(client, world):
    client.force_login(world.specialist)

    assert search(client, "Alma Alfa") == [world.case_a.pk]


def test_search_finds_a_client_code(client, world):
    case = on_team_a(world, "Rosa Delgado")
    code = case.survivor.client_code
    client.force_login(world.specialist)

    assert search(client, code) == [case.pk]
    assert search(client, code.lower().removeprefix("bl-")) == [case.pk]


def test_search_never_finds_a_case_the_user_cannot_see(client, world):
    look_alike = on_team_a(world, "Bruna Betta", aliases="Mari Q", phone="(860) 555-0199")
    client.force_login(world.outsider)

    by_name = search(client, "Bruno Beta")
    by_alias = search(client, "Mari Q")
    by_phone = search(client, "860 555 0199")
    by_code = search(client, look_alike.survivor.client_code)
    by_misspelling = search(client, "Alma Alfa")

    client.force_login(world.director)
    everything = sorted(search(client, "Bruno Beta"))
    assert by_name == [world.case_b.pk]
    assert (by_alias, by_phone, by_code, by_misspelling) == ([], [], [], [])
    assert everything == sorted([world.case_b.pk, look_alike.pk])  # the look-alike does match the words
