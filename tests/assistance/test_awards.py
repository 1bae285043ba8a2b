"""The awards a case is served under: the services, the read for funder reports, and the case tab's section."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assistance import queries
from assistance.models import CaseAward
from assistance.services.awards import add_case_award, remove_case_award
from assistance.services.common import AssistanceError
from cases.models import Case
from tests.bloom.accounts.test_security import assert_strict_page
from tests.cases.sharing_files import reader_of_every_case
from tests.factories import make_case, make_fund


@pytest.fixture
def fund(world):
    return make_fund(world.director, name="Survivor Housing Award", award_number="2026-VT-0001")


@pytest.fixture
def other_fund(world):
    return make_fund(world.director, name="Emergency Needs Award", award_number="2026-VT-0002")


def add_url(case) -> str:
    return reverse("assistance:award_add", args=[case.pk])


def remove_url(case) -> str:
    return reverse("assistance:award_remove", args=[case.pk])


# Services ----------------------------------------------------------------------------------------


def test_add_case_award_records_it_with_its_history(world, fund):
    award = add_case_award(world.case_a, by=world.specialist, fund=fund)

    assert list(world.case_a.awards.values_list("fund", "added_by")) == [(fund.pk, world.specialist.pk)]
    record = award.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        world.specialist,
        "award.case_added",
    )


def test_adding_an_award_the_case_is_already_under_is_refused_by_name(world, fund):
    add_case_award(world.case_a, by=world.specialist, fund=fund)

    with pytest.raises(AssistanceError) as refused:
        add_case_award(world.case_a, by=world.supervisor, fund=fund)

    assert refused.value.message_dict == {
        "fund": ["This case is already served under Survivor Housing Award (2026-VT-0001)."]
    }
    assert world.case_a.awards.count() == 1


def test_one_award_may_serve_many_cases_and_one_case_many_awards(world, fund, other_fund):
    add_case_award(world.case_a, by=world.specialist, fund=fund)
    add_case_award(world.case_a, by=world.specialist, fund=other_fund)
    add_case_award(world.case_b, by=world.outsider, fund=fund)

    assert sorted(world.case_a.awards.values_list("fund", flat=True)) == sorted([fund.pk, other_fund.pk])
    assert list(world.case_b.awards.values_list("fund", flat=True)) == [fund.pk]


def test_remove_case_award_leaves_who_removed_it_in_history(world, fund):
    award = add_case_award(world.case_a, by=world.specialist, fund=fund)
    award_id = award.pk

    remove_case_award(award, by=world.supervisor)

    assert list(world.case_a.awards.all()) == []
    gone = CaseAward.history.filter(id=award_id).latest()
    assert (gone.history_type, gone.history_user, gone.history_change_reason) == (
        "-",
        world.supervisor,
        "award.case_removed",
    )


def test_removing_an_award_twice_leaves_one_removal(world, fund):
    award = add_case_award(world.case_a, by=world.specialist, fund=fund)

    remove_case_award(award, by=world.specialist)
    remove_case_award(award, by=world.specialist)

    assert CaseAward.history.filter(id=award.pk, history_type="-").count() == 1


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "director"])
def test_those_who_may_change_the_case_add_and_remove_awards(world, fund, persona):
    person = world.everyone()[persona]

    award = add_case_award(world.case_a, by=person, fund=fund)
    remove_case_award(award, by=person)

    assert list(world.case_a.awards.all()) == []


@pytest.mark.parametrize(
    "persona", ["colleague", "outsider", "finance", "outreach", "volunteer", "trainer", "administrator"]
)
def test_nobody_else_adds_or_removes_an_award(world, fund, persona):
    person = world.everyone()[persona]
    award = add_case_award(world.case_a, by=world.specialist, fund=fund)

    with pytest.raises(PermissionDenied):
        add_case_award(world.case_a, by=person, fund=make_fund(world.director, award_number="2026-VT-0099"))
    with pytest.raises(PermissionDenied):
        remove_case_award(award, by=person)

    assert list(world.case_a.awards.values_list("pk", flat=True)) == [award.pk]


def test_a_reader_of_every_case_adds_and_removes_no_award(world, fund):
    reader = reader_of_every_case()
    award = add_case_award(world.case_a, by=world.specialist, fund=fund)

    with pytest.raises(PermissionDenied):
        add_case_award(world.case_b, by=reader, fund=fund)
    with pytest.raises(PermissionDenied):
        remove_case_award(award, by=reader)

    assert list(CaseAward.objects.values_list("pk", flat=True)) == [award.pk]


# The read for funder reports ------------------------------------------------------------------


def test_cases_under_an_award_are_exactly_its_cases(world, fund, other_fund):
    third = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Tess Third")
    add_case_award(world.case_a, by=world.specialist, fund=fund)
    add_case_award(third, by=world.specialist, fund=fund)
    add_case_award(world.case_b, by=world.outsider, fund=other_fund)

    assert sorted(queries.cases_under(fund)) == sorted([world.case_a.pk, third.pk])
    assert list(queries.cases_under(other_fund)) == [world.case_b.pk]


def test_cases_under_an_award_filter_cases_in_one_query(world, fund, django_assert_num_queries):
    add_case_award(world.case_b, by=world.outsider, fund=fund)

    with django_assert_num_queries(1):
        found = list(Case.objects.filter(pk__in=queries.cases_under(fund)).values_list("pk", flat=True))

    assert found == [world.case_b.pk]


# The case tab's section ------------------------------------------------------------------------


def test_the_case_tab_lists_the_awards_and_offers_to_add_and_remove(client, world, fund, other_fund):
    add_case_award(world.case_a, by=world.supervisor, fund=fund)
    client.force_login(world.specialist)

    response = client.get(reverse("assistance:case", args=[world.case_a.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Served under awards" in html
    assert "Survivor Housing Award" in html
    assert "Sue Supervisor" in html
    assert add_url(world.case_a) in html
    assert remove_url(world.case_a) in html
    # Every fund is offered, the latest period first, then by name.
    assert list(response.context["award_form"].fields["fund"].queryset) == [other_fund, fund]


def test_a_reader_sees_the_awards_but_no_form(client, world, fund):
    add_case_award(world.case_a, by=world.specialist, fund=fund)
    client.force_login(reader_of_every_case())

    response = client.get(reverse("assistance:case", args=[world.case_a.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Survivor Housing Award" in html
    assert add_url(world.case_a) not in html
    assert remove_url(world.case_a) not in html


def test_adding_an_award_from_the_tab(client, world, fund):
    client.force_login(world.specialist)

    response = client.post(add_url(world.case_a), {"fund": fund.pk}, follow=True)

    assert response.redirect_chain == [(reverse("assistance:case", args=[world.case_a.pk]), 302)]
    assert "This case is now served under Survivor Housing Award (2026-VT-0001)." in response.content.decode()
    assert list(world.case_a.awards.values_list("fund", "added_by")) == [(fund.pk, world.specialist.pk)]


def test_adding_an_award_twice_from_the_tab_says_so_beside_the_field(client, world, fund):
    add_case_award(world.case_a, by=world.supervisor, fund=fund)
    client.force_login(world.specialist)

    response = client.post(add_url(world.case_a), {"fund": fund.pk})

    assert response.status_code == 200
    assert response.context["award_form"].errors == {
        "fund": ["This case is already served under Survivor Housing Award (2026-VT-0001)."]
    }
    assert "This case is already served under" in response.content.decode()
    assert world.case_a.awards.count() == 1


def test_adding_without_choosing_an_award_shows_the_tab_with_the_message(client, world):
    client.force_login(world.specialist)

    response = client.post(add_url(world.case_a), {"fund": ""})

    assert response.status_code == 200
    assert set(response.context["award_form"].errors) == {"fund"}
    assert world.case_a.awards.count() == 0


def test_removing_an_award_from_the_tab(client, world, fund):
    award = add_case_award(world.case_a, by=world.specialist, fund=fund)
    client.force_login(world.supervisor)

    response = client.post(remove_url(world.case_a), {"award": award.pk}, follow=True)

    assert response.redirect_chain == [(reverse("assistance:case", args=[world.case_a.pk]), 302)]
    assert "no longer served under Survivor Housing Award" in response.content.decode()
    assert list(world.case_a.awards.all()) == []


def test_another_cases_award_cannot_be_removed_through_this_case(client, world, fund):
    theirs = add_case_award(world.case_b, by=world.outsider, fund=fund)
    client.force_login(world.specialist)

    response = client.post(remove_url(world.case_a), {"award": theirs.pk})

    assert response.status_code == 200
    assert "That award is not on this case" in response.content.decode()
    assert list(world.case_b.awards.values_list("pk", flat=True)) == [theirs.pk]


@pytest.mark.parametrize("persona", ["colleague", "outsider", "finance", "outreach", "volunteer", "trainer"])
def test_the_award_forms_are_404_for_those_who_do_not_see_the_case(client, world, fund, persona):
    award = add_case_award(world.case_a, by=world.specialist, fund=fund)
    client.force_login(world.everyone()[persona])

    answers = (
        client.post(add_url(world.case_a), {"fund": fund.pk}).status_code,
        client.post(remove_url(world.case_a), {"award": award.pk}).status_code,
    )

    assert answers == (404, 404)
    assert list(world.case_a.awards.values_list("pk", flat=True)) == [award.pk]


def test_the_award_forms_are_403_for_a_reader(client, world, fund, other_fund):
    award = add_case_award(world.case_a, by=world.specialist, fund=fund)
    client.force_login(reader_of_every_case())

    answers = (
        client.post(add_url(world.case_a), {"fund": other_fund.pk}).status_code,
        client.post(remove_url(world.case_a), {"award": award.pk}).status_code,
    )

    assert answers == (403, 403)
    assert list(world.case_a.awards.values_list("pk", flat=True)) == [award.pk]


def test_the_award_forms_take_only_posts(client, world):
    client.force_login(world.specialist)

    answers = (client.get(add_url(world.case_a)).status_code, client.get(remove_url(world.case_a)).status_code)

    assert answers == (405, 405)


def test_the_awards_of_a_case_that_does_not_exist_are_404(client, world, fund):
    client.force_login(world.director)

    assert client.post(reverse("assistance:award_add", args=[999999]), {"fund": fund.pk}).status_code == 404


def test_the_case_tab_and_its_refusals_have_no_inline_code(client, world, fund):
    add_case_award(world.case_a, by=world.specialist, fund=fund)
    client.force_login(world.specialist)

    assert_strict_page(client.get(reverse("assistance:case", args=[world.case_a.pk])), "tab")
    assert_strict_page(client.post(add_url(world.case_a), {"fund": fund.pk}), "add refused")
    assert_strict_page(client.post(remove_url(world.case_a), {"award": "0"}), "remove refused")


@pytest.mark.parametrize("size", [1, 5])
def test_the_case_tab_costs_the_same_with_more_awards(client, world, django_assert_num_queries, size):
    for n in range(size):
        add_case_award(world.case_a, by=world.specialist, fund=make_fund(world.director, award_number=f"AW-X{n}"))
    url = reverse("assistance:case", args=[world.case_a.pk])
    client.force_login(world.specialist)
    client.get(url)  # warm the per-process content-type caches

    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["awards"]) == size
