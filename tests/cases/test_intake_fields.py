"""Hidden and optional intake fields: the catalogue, the director's services and page, and how a
hidden field leaves the forms, the case page and the face sheet while what it held stays."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bloom.directory.models import Organization
from cases import amp, eligibility, fields, queries, services
from cases.forms import ReferralForm, SurvivorDetailsForm
from cases.models import Case, IntakeField, Survivor
from cases.service_report.subjects import printed_case
from cases.services import fields as settings
from phases import printouts as phase_printouts
from tests.bloom.accounts.test_security import assert_strict_page
from tests.factories import edit_survivor, form_errors, make_case
from tests.printouts import flat, pdf_text, print_and_download

HIDDEN, OPTIONAL, SHOWN = IntakeField.State.HIDDEN, IntakeField.State.OPTIONAL, IntakeField.State.SHOWN
PHONE = "860-555-0142"


def hide(world, *names):
    for name in names:
        settings.set_state(name, HIDDEN, by=world.director)


def refusal(call) -> dict:
    with pytest.raises(settings.FieldSettingError) as refused:
        call()
    return refused.value.message_dict if hasattr(refused.value, "error_dict") else {"": refused.value.messages}


def intake_post(world, **overrides) -> dict:
    return {
        "legal_name": "Paz Primera",
        "team": world.team_a.pk,
        "specialists": [world.specialist.pk],
        "opened_on": timezone.localdate().isoformat(),
        **overrides,
    }


def case_page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


# The catalogue ----------------------------------------------------------------------------------


def test_the_catalogue_holds_every_intake_field_and_what_each_rule_needs():
    catalogue = fields.catalogue()

    assert list(catalogue) == [
        *(f"survivor.{name}" for name in (*Survivor.DETAIL_FIELDS, *Survivor.CLASSIFICATION_FIELDS)),
        *(f"case.{name}" for name in (*Case.REFERRAL_FIELDS, *services.GUARDIAN_FIELDS)),
    ]
    # Every field a rule names is one the catalogue knows: a rule cannot name a field away.
    assert set(eligibility.NEEDS) | set(amp.NEEDS) | set(queries.CARELINE_NEEDS) <= set(catalogue)
    needed = {name for name, field in catalogue.items() if field.needed_by}
    assert needed == {"survivor.date_of_birth", "survivor.estimated_age", "survivor.town"}
    assert [name for name, field in catalogue.items() if field.required] == ["survivor.legal_name"]
    assert len(catalogue["survivor.date_of_birth"].needed_by) == 3
    assert catalogue["survivor.preferred_name"].label == "Preferred name"


def test_how_fields_are_asked_is_read_in_one_query_however_many_are_set(world, django_assert_num_queries):
    hide(world, "survivor.phone", "survivor.email", "case.referring_person")
    settings.set_state("survivor.legal_name", OPTIONAL, by=world.director)

    with django_assert_num_queries(1):
        asked = fields.current()

    assert asked.hidden("survivor") == {"phone", "email"}
    assert asked.hidden("case") == {"referring_person"}
    assert asked.optional("survivor") == {"legal_name"}
    assert (asked.state_of("survivor.gender"), asked.state_of("survivor.phone")) == (SHOWN, HIDDEN)
    assert (asked.shown["survivor"]["phone"], asked.shown["survivor"]["gender"]) == (False, True)
    assert asked.shown["survivor"]["client_code"] is True  # not in the catalogue: always shown


def test_a_rule_needing_a_field_wins_over_a_row_written_past_the_service(world):
    IntakeField.objects.create(name="survivor.date_of_birth", state=HIDDEN)
    IntakeField.objects.create(name="survivor.no_such_field", state=HIDDEN)

    assert fields.current().states == {}


# Setting how a field is asked ---------------------------------------------------------------------


def test_hiding_a_field_keeps_who_and_when_in_history(world):
    row = settings.set_state("survivor.phone", HIDDEN, by=world.director)

    stored = IntakeField.objects.get(pk=row.pk)
    assert (stored.name, stored.state) == ("survivor.phone", HIDDEN)
    history = stored.history.get()
    assert (history.history_user, history.history_change_reason, history.state) == (
        world.director,
        "field.hidden",
        HIDDEN,
    )


def test_asking_a_field_as_built_again_is_kept_and_an_unchanged_setting_writes_nothing(world):
    hide(world, "survivor.phone")
    settings.set_state("survivor.phone", HIDDEN, by=world.director)
    settings.set_state("survivor.phone", SHOWN, by=world.director)
    settings.set_state("survivor.email", SHOWN, by=world.director)  # as built already

    row = IntakeField.objects.get(name="survivor.phone")
    assert [h.history_change_reason for h in row.history.order_by("history_id")] == ["field.hidden", "field.asked"]
    assert row.state == SHOWN
    assert not IntakeField.objects.filter(name="survivor.email").exists()


@pytest.mark.parametrize("name", ["survivor.date_of_birth", "survivor.estimated_age", "survivor.town"])
@pytest.mark.parametrize("state", [HIDDEN, OPTIONAL])
def test_a_field_a_rule_needs_cannot_be_hidden_or_made_optional(world, name, state):
    refused = refusal(lambda: settings.set_state(name, state, by=world.director))

    assert "the eligibility rules (age and service area)" in refused["state"][0]
    assert "cannot be hidden or made optional" in refused["state"][0]
    assert not IntakeField.objects.exists()


def test_the_refusal_names_every_rule_that_needs_the_field(world):
    refused = refusal(lambda: settings.set_state("survivor.date_of_birth", HIDDEN, by=world.director))

    assert refused == {
        "state": [
            "Date of birth cannot be hidden or made optional: the eligibility rules (age and service area), "
            "the screening's rule for minors and the DCF Careline reminder for minors need it."
        ]
    }


def test_an_unknown_field_or_state_is_refused(world):
    unknown = refusal(lambda: settings.set_state("survivor.client_code", HIDDEN, by=world.director))
    bad_state = refusal(lambda: settings.set_state("survivor.phone", "gone", by=world.director))

    assert unknown == {"": ["There is no intake field by that name that can be changed."]}
    assert bad_state == {"state": ["Choose how the field is asked from the list."]}
    assert not IntakeField.objects.exists()


def test_only_a_required_field_can_be_made_optional(world):
    refused = refusal(lambda: settings.set_state("survivor.preferred_name", OPTIONAL, by=world.director))
    settings.set_state("survivor.legal_name", OPTIONAL, by=world.director)

    assert refused == {"state": ["Preferred name is already optional as it is built: choose to show it or hide it."]}
    assert IntakeField.objects.get(name="survivor.legal_name").state == OPTIONAL


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "finance", "administrator"])
def test_only_the_director_changes_how_fields_are_asked(world, persona):
    someone = world.everyone()[persona]

    with pytest.raises(PermissionDenied):
        settings.set_state("survivor.phone", HIDDEN, by=someone)
    with pytest.raises(PermissionDenied):
        settings.clear_stored_values("survivor.phone", by=someone, reason="No longer kept.")
    assert not IntakeField.objects.exists()
    assert {name for name, user in world.everyone().items() if settings.may_manage_intake_fields(user)} == {"director"}


# A hidden field in the forms, the services, the case page and the face sheet --------------------------


def test_a_hidden_field_is_not_on_the_intake_or_edit_forms(client, world):
    hide(world, "survivor.phone", "survivor.veteran", "case.referring_person", "case.guardian_name")
    client.force_login(world.specialist)

    pages = [
        client.get(reverse("cases:create")).content.decode(),
        client.get(reverse("cases:edit", args=[world.case_a.pk])).content.decode(),
    ]

    for page in pages:
        assert 'name="phone"' not in page
        assert 'name="veteran"' not in page
        assert 'name="referring_person"' not in page
        assert 'name="guardian_name"' not in page
        assert 'name="email"' in page  # the others stay
        assert 'name="guardian_phone"' in page


def test_a_group_whose_fields_are_all_hidden_leaves_the_form(world):
    hide(world, *(f"case.{name}" for name in services.GUARDIAN_FIELDS))
    hide(world, "survivor.emergency_contact_name", "survivor.emergency_contact_relationship")
    hide(world, "survivor.emergency_contact_phone")

    details = SurvivorDetailsForm(sensitive_allowed=True)
    referral = ReferralForm(instance=world.case_a)

    assert "Emergency contact" not in [str(title) for title, _help, _fields in details.sections()]
    assert referral.guardian_fields() == []


def test_a_post_carrying_a_hidden_fields_value_stores_nothing_in_it(client, world):
    hide(world, "survivor.phone", "case.referring_person")
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:create"),
        intake_post(world, phone=PHONE, referring_person="Rhea Referrer", email="p@example.org"),
    )

    case = Case.objects.get(survivor__legal_name="Paz Primera")
    assert response.status_code == 302
    assert (case.survivor.phone, case.survivor.phone_digits, case.referring_person) == ("", "", "")
    assert case.survivor.email == "p@example.org"


def test_the_services_store_nothing_in_a_hidden_field_whoever_calls_them(world):
    hide(world, "survivor.phone", "case.referral_source")

    case = services.start_intake(
        by=world.specialist,
        team=world.team_a,
        specialists=[world.specialist],
        details={"legal_name": "Noor North", "phone": PHONE},
        referral={"referral_source": "hotline"},
    )
    services.update_case(case, by=world.specialist, details={"phone": PHONE}, referral={"referral_source": "dcf"})

    case.refresh_from_db()
    assert (case.survivor.phone, case.referral_source) == ("", "")
    assert [h.history_change_reason for h in case.survivor.history.all()] == ["survivor.registered"]


def test_values_stored_before_a_field_was_hidden_stay_through_later_saves(client, world):
    edit_survivor(world.case_a, by=world.specialist, phone=PHONE, email="alma@example.org")
    hide(world, "survivor.phone")
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:edit", args=[world.case_a.pk]),
        {
            "legal_name": "Alma Alpha",
            "initial-legal_name": "Alma Alpha",
            "email": "alma.new@example.org",
            "initial-email": "alma@example.org",
            "phone": "860-555-0000",
            "initial-phone": PHONE,
            "opened_on": world.case_a.opened_on.isoformat(),
            "initial-opened_on": world.case_a.opened_on.isoformat(),
        },
    )

    survivor = Survivor.objects.get(pk=world.case_a.survivor_id)
    assert response.status_code == 302
    assert (survivor.email, survivor.phone, survivor.phone_digits) == ("alma.new@example.org", PHONE, "8605550142")


def test_a_hidden_field_is_not_on_the_case_page_though_it_holds_a_value(client, world):
    organization = Organization.objects.create(name="Harbor Legal Aid")
    edit_survivor(world.case_a, by=world.specialist, phone=PHONE, veteran="yes", preferred_name="Ally")
    services.update_case(
        world.case_a,
        by=world.specialist,
        details={},
        referral={"referring_organization": organization, "referring_person": "Rhea Referrer"},
    )
    client.force_login(world.specialist)
    before = case_page(client, world.case_a)
    hide(world, "survivor.phone", "survivor.veteran", "survivor.legal_name", "case.referring_person")

    after = case_page(client, world.case_a)

    assert all(value in before for value in (PHONE, "Veteran: Yes", "Legal name", "Rhea Referrer"))
    assert [value for value in (PHONE, "Veteran", "Legal name", "Alma Alpha", "Rhea Referrer") if value in after] == []
    assert "Harbor Legal Aid" in after
    assert "Ally" in after
    assert Survivor.objects.get(pk=world.case_a.survivor_id).phone == PHONE


def test_a_hidden_field_is_not_on_the_face_sheet(client, world, django_capture_on_commit_callbacks):
    edit_survivor(world.case_a, by=world.specialist, preferred_name="Ally")
    hide(world, "survivor.legal_name")

    _job, pdf = print_and_download(
        client, world.specialist, "case_face_sheet", world.case_a, django_capture_on_commit_callbacks
    )

    text = flat(pdf_text(pdf))
    assert "Ally" in text
    assert [value for value in ("Legal name", "Alma Alpha") if value in text] == []


def test_a_hidden_name_is_not_on_the_case_plan_or_the_service_report(world):
    edit_survivor(world.case_a, by=world.specialist, preferred_name="Ally")
    case = Case.objects.select_related("survivor", "team").get(pk=world.case_a.pk)

    def printed(asked):
        return printed_case(case, identifying=True, own_copy=False, specialists=(), parts=(), asked=asked)

    assert (printed(fields.current()).name, printed(fields.current()).legal_name) == ("Ally", "Alma Alpha")
    hide(world, "survivor.preferred_name", "survivor.phone")
    assert (printed(fields.current()).name, printed(fields.current()).legal_name) == ("Alma Alpha", "")
    hide(world, "survivor.legal_name")
    shown = printed(fields.current())
    assert (shown.name, shown.legal_name, shown.phone) == ("", "", "")
    assert phase_printouts.case_plan_context(case)["name"] == ""


def test_an_optional_field_that_was_required_accepts_a_blank(client, world):
    client.force_login(world.specialist)
    refused = client.post(reverse("cases:create"), intake_post(world, legal_name="", preferred_name="Sol"))
    settings.set_state("survivor.legal_name", OPTIONAL, by=world.director)

    taken = client.post(reverse("cases:create"), intake_post(world, legal_name="", preferred_name="Sol"))

    assert (refused.status_code, form_errors(refused)) == (200, {"legal_name"})
    assert taken.status_code == 302
    assert Survivor.objects.get(preferred_name="Sol").legal_name == ""


def test_the_funders_answers_of_a_hidden_question_are_not_on_the_case_page(client, world):
    edit_survivor(world.case_a, by=world.specialist, veteran="yes", homeless="no")
    hide(world, "survivor.veteran")
    client.force_login(world.specialist)

    page = case_page(client, world.case_a)

    assert "Homeless: No" in page
    assert "Veteran" not in page


# Clearing what a hidden field holds ------------------------------------------------------------------


def test_clearing_blanks_the_field_in_every_row_with_history_and_a_summary(world):
    other = make_case(team=world.team_b, specialists=[world.outsider], legal_name="Cleo Gamma")
    for case in (world.case_a, other):
        edit_survivor(case, by=case.specialists.first(), phone=PHONE, email="kept@example.org")
    hide(world, "survivor.phone")

    cleared = settings.clear_stored_values("survivor.phone", by=world.director, reason="  We no longer keep phones. ")

    assert cleared == 2
    rows = Survivor.objects.filter(pk__in=[world.case_a.survivor_id, other.survivor_id])
    assert {(s.phone, s.phone_digits, s.email) for s in rows} == {("", "", "kept@example.org")}
    for survivor in rows:
        latest = survivor.history.latest()
        assert (latest.history_user, latest.history_change_reason, latest.phone, latest.history_type) == (
            world.director,
            'field.cleared|[["phone"],"We no longer keep phones."]',
            "",
            "~",
        )
    summary = IntakeField.objects.get(name="survivor.phone").history.latest()
    assert summary.history_change_reason == 'field.cleared_in|[2,"We no longer keep phones."]'
    assert settings.clearing_in(summary.history_change_reason) == (2, "We no longer keep phones.")


def test_clearing_writes_each_kind_of_field_as_blank_as_it_is_built(world):
    organization = Organization.objects.create(name="Harbor Legal Aid")
    edit_survivor(world.case_a, by=world.specialist, race=["white"], born_in_us=False, interpreter_needed=True)
    services.update_case(
        world.case_a, by=world.specialist, details={}, referral={"referring_organization": organization}
    )
    names = ("survivor.race", "survivor.born_in_us", "survivor.interpreter_needed", "case.referring_organization")
    hide(world, *names)

    assert settings.stored_counts(names) == dict.fromkeys(names, 1)
    for name in names:
        settings.clear_stored_values(name, by=world.director, reason="Not kept by the program.")

    survivor = Survivor.objects.get(pk=world.case_a.survivor_id)
    assert (survivor.race, survivor.born_in_us, survivor.interpreter_needed) == ([], None, False)
    assert Case.objects.get(pk=world.case_a.pk).referring_organization is None
    assert settings.stored_counts(names) == dict.fromkeys(names, 0)


def test_clearing_takes_the_value_from_the_earlier_history_rows_too(world):
    edit_survivor(world.case_a, by=world.specialist, phone=PHONE)
    edit_survivor(world.case_a, by=world.specialist, email="alma@example.org")
    hide(world, "survivor.phone")

    settings.clear_stored_values("survivor.phone", by=world.director, reason="Not needed")

    history = Survivor.history.filter(id=world.case_a.survivor_id)
    assert history.count() >= 3
    assert set(history.values_list("phone", "phone_digits")) == {("", "")}


@pytest.mark.parametrize("size", [1, 5])
def test_clearing_costs_the_same_for_more_records(world, size, django_assert_num_queries):
    for n in range(size):
        make_case(
            team=world.team_a, specialists=[world.specialist], legal_name=f"Person {n}", phone=f"860-555-01{n:02}"
        )
    hide(world, "survivor.phone")

    with django_assert_num_queries(9):
        cleared = settings.clear_stored_values("survivor.phone", by=world.director, reason="Not kept.")

    assert cleared == size


def test_clearing_is_refused_without_a_reason_or_for_a_field_not_hidden(world):
    edit_survivor(world.case_a, by=world.specialist, phone=PHONE)
    not_hidden = refusal(lambda: settings.clear_stored_values("survivor.phone", by=world.director, reason="Why."))
    hide(world, "survivor.phone")
    no_reason = refusal(lambda: settings.clear_stored_values("survivor.phone", by=world.director, reason="   "))
    too_long = refusal(lambda: settings.clear_stored_values("survivor.phone", by=world.director, reason="x" * 71))
    unknown = refusal(lambda: settings.clear_stored_values("survivor.client_code", by=world.director, reason="Why."))

    assert not_hidden == {"": ["Only a hidden field's stored values can be cleared. Hide Phone first."]}
    assert no_reason == {"reason": ["Write why the stored values are cleared: it is kept in the history."]}
    assert too_long == {"reason": ["Keep the reason to 70 characters, so that it is kept whole in the history."]}
    assert unknown == {"": ["There is no intake field by that name that can be changed."]}
    assert Survivor.objects.get(pk=world.case_a.survivor_id).phone == PHONE


# The director's page ---------------------------------------------------------------------------------


def test_the_page_lists_every_field_how_it_is_asked_and_why_some_cannot_change(client, world):
    edit_survivor(world.case_a, by=world.specialist, phone=PHONE)
    hide(world, "survivor.phone")
    client.force_login(world.director)

    response = client.get(reverse("cases:intake_fields"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Needed by the eligibility rules (age and service area)" in page
    assert "1 record holds a value." in page
    assert "Clear the stored values" in page
    assert 'value="survivor.gender"' in page
    assert "counted as “not reported”" in page
    assert '<option value="hidden" selected>Hidden</option>' in page
    assert 'href="/cases/fields/" aria-current="page"' in page  # the director's menu link


def test_the_director_hides_a_field_from_the_page(client, world):
    client.force_login(world.director)

    response = client.post(reverse("cases:intake_field_state"), {"name": "survivor.phone", "state": HIDDEN})

    assert (response.status_code, response["Location"]) == (302, reverse("cases:intake_fields"))
    assert IntakeField.objects.get(name="survivor.phone").state == HIDDEN
    page = client.get(reverse("cases:intake_fields")).content.decode()
    assert "Phone is hidden" in page


def test_hiding_a_needed_field_from_the_page_says_which_rules_need_it(client, world):
    client.force_login(world.director)

    response = client.post(reverse("cases:intake_field_state"), {"name": "survivor.town", "state": HIDDEN})

    assert response.status_code == 400
    assert "Town of residence cannot be hidden or made optional" in response.content.decode()
    assert not IntakeField.objects.exists()


def test_an_unknown_field_posted_to_the_page_gets_a_message_on_top(client, world):
    client.force_login(world.director)

    response = client.post(reverse("cases:intake_field_state"), {"name": "survivor.secret", "state": HIDDEN})

    assert response.status_code == 400
    assert "There is no intake field by that name that can be changed." in response.content.decode()
    assert response.context["refused"] is not None


def test_clearing_from_the_page_needs_a_reason_and_keeps_nothing_typed_lost(client, world):
    edit_survivor(world.case_a, by=world.specialist, phone=PHONE)
    hide(world, "survivor.phone")
    client.force_login(world.director)

    no_reason = client.post(reverse("cases:intake_field_clear"), {"name": "survivor.phone", "reason": ""})
    long_reason = "x" * 80
    too_long = client.post(reverse("cases:intake_field_clear"), {"name": "survivor.phone", "reason": long_reason})
    not_hidden = client.post(reverse("cases:intake_field_clear"), {"name": "survivor.email", "reason": "Why."})

    assert (no_reason.status_code, too_long.status_code, not_hidden.status_code) == (400, 400, 400)
    assert "Write why the stored values are cleared" in no_reason.content.decode()
    assert f'value="{long_reason}"' in too_long.content.decode()
    assert "Hide Email first." in not_hidden.content.decode()
    assert Survivor.objects.get(pk=world.case_a.survivor_id).phone == PHONE


def test_clearing_from_the_page_blanks_the_values_and_says_how_many(client, world):
    edit_survivor(world.case_a, by=world.specialist, phone=PHONE)
    hide(world, "survivor.phone")
    client.force_login(world.director)

    response = client.post(
        reverse("cases:intake_field_clear"), {"name": "survivor.phone", "reason": "We stopped keeping phones."}
    )

    assert response.status_code == 302
    assert Survivor.objects.get(pk=world.case_a.survivor_id).phone == ""
    page = client.get(reverse("cases:intake_fields")).content.decode()
    assert "Phone was cleared in 1 record." in page
    assert "Stored values cleared in 1 record: “We stopped keeping phones.”" in page
    assert "0 records hold a value." in page


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "finance", "outreach", "administrator"])
def test_the_page_is_the_directors_alone(client, world, persona):
    client.force_login(world.everyone()[persona])

    answers = [
        client.get(reverse("cases:intake_fields")).status_code,
        client.post(reverse("cases:intake_field_state"), {"name": "survivor.phone", "state": HIDDEN}).status_code,
        client.post(reverse("cases:intake_field_clear"), {"name": "survivor.phone", "reason": "x"}).status_code,
    ]

    assert answers == [403, 403, 403]
    assert "/cases/fields/" not in client.get(reverse("home")).content.decode()
    assert not IntakeField.objects.exists()


# What the pages cost ---------------------------------------------------------------------------------

SETTINGS = ("survivor.phone", "case.referring_person", "survivor.email", "survivor.veteran", "case.guardian_name")


def queries_of(client, url) -> int:
    """How many queries a second GET of ``url`` makes (the first warms the per-process caches)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["cases:create", "cases:edit", "cases:detail"])
def test_the_intake_form_and_case_page_cost_the_same_with_fields_hidden(client, world, url_name):
    client.force_login(world.specialist)
    url = reverse(url_name) if url_name == "cases:create" else reverse(url_name, args=[world.case_a.pk])
    as_built = queries_of(client, url)

    hide(world, *SETTINGS)
    settings.set_state("survivor.legal_name", OPTIONAL, by=world.director)

    assert queries_of(client, url) == as_built


@pytest.mark.parametrize("hidden", [2, 5])
def test_the_directors_page_costs_the_same_with_more_fields_hidden_and_records(
    client, world, hidden, django_assert_num_queries
):
    for n in range(hidden):
        make_case(team=world.team_a, specialists=[world.specialist], legal_name=f"Person {n}", phone=PHONE)
    hide(world, *SETTINGS[:hidden])
    client.force_login(world.director)
    client.get(reverse("cases:intake_fields"))

    # Of these, the page's own: the settings, the counts (one query per model, whatever the number
    # of fields or records) and the latest changes; the rest is the sign-in, the permission and the header.
    with django_assert_num_queries(7):
        response = client.get(reverse("cases:intake_fields"))

    assert response.status_code == 200


def test_a_second_client_sees_a_field_hidden_by_the_first_at_once(world):
    first, second = Client(), Client()
    first.force_login(world.director)
    second.force_login(world.specialist)

    first.post(reverse("cases:intake_field_state"), {"name": "survivor.email", "state": HIDDEN})

    assert 'name="email"' not in second.get(reverse("cases:create")).content.decode()


def test_the_page_keeps_to_the_content_security_policy(client, world):
    edit_survivor(world.case_a, by=world.specialist, phone=PHONE)
    hide(world, "survivor.phone")
    client.force_login(world.director)

    assert_strict_page(client.get(reverse("cases:intake_fields")), "the page")
    assert_strict_page(client.post(reverse("cases:intake_field_clear"), {"name": "survivor.phone"}), "a refusal")
