"""What cases stores in its own words is stored as codes and shown in each reader's language: the
history's reasons, the titles of the forms it files, the access log's reasons; and the migration
that converts what was stored before."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from bloom.audit.models import AccessLogEntry
from bloom.directory.models import Organization
from bloom.said import Said
from cases import services
from cases.models import Case, Closure, Document, InformationKind, Survivor
from tests.cases.sharing_files import pdf_upload
from tests.factories import speaks

migration = importlib.import_module("cases.migrations.0019_stored_words_as_codes")


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A page asked for as a Spanish reader leaves Spanish active in the thread: not for the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def in_spanish(message: str, **values) -> str:
    """``message`` as the Spanish catalogue says it (English while it is not compiled)."""
    with translation.override("es"):
        return gettext(message) % values if values else gettext(message)


# The case history ------------------------------------------------------------------------------


def test_the_history_says_why_each_change_was_made_in_the_readers_language(client, world):
    services.update_case(world.case_a, by=world.specialist, details={"preferred_name": "Almita"}, referral={})
    client.force_login(speaks(world.supervisor, "es"))

    html = client.get(reverse("cases:history", args=[world.case_a.pk])).content.decode()

    assert in_spanish("Changed %(fields)s", fields=Survivor._meta.get_field("preferred_name").verbose_name) in html
    assert in_spanish("Intake started") in html
    assert "row.changed" not in html


def test_the_history_names_no_field_the_reader_may_not_see_changed(client, world):
    services.update_case(
        world.case_a,
        by=world.specialist,
        details={"preferred_name": "Almita", "immigration_status": "t visa"},
        referral={},
    )
    reader = world.specialist
    reader.groups.clear()  # assigned, but without the sensitive-details permission
    reader.groups.add(*_history_readers_without_sensitive())
    client.force_login(reader)

    html = client.get(reverse("cases:history", args=[world.case_a.pk])).content.decode()

    assert "Changed preferred name" in html
    assert ("immigration status" in html.lower(), "t visa" in html.lower()) == (False, False)


def _history_readers_without_sensitive():
    from django.contrib.auth.models import Group, Permission  # noqa: PLC0415

    group = Group.objects.create(name="history without sensitive details")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="cases", codename__in=["view_case_history"])
    )
    return [group]


# Titles Bloom gives documents ------------------------------------------------------------------


def test_the_signed_form_of_a_release_is_titled_in_each_readers_language(client, world):
    partner = Organization.objects.create(name="Legal Aid Partners", kind=Organization.Kind.LEGAL)
    with translation.override("en"):
        release = services.record_release(
            world.case_a,
            by=world.specialist,
            organization=partner,
            recipient="",
            information=[InformationKind.IDENTIFYING],
            purpose="T visa application",
            signed_on=timezone.localdate(),
            expires_on=timezone.localdate() + timedelta(days=30),
            signed_form=pdf_upload("signed.pdf"),
        )
    client.force_login(speaks(world.specialist, "es"))

    html = client.get(reverse("cases:detail", args=[world.case_a.pk])).content.decode()

    assert release.signed_form.title == 'document.signed_release|["Legal Aid Partners"]'
    assert in_spanish("Signed release: %(to)s", to="Legal Aid Partners") in html


# The access log --------------------------------------------------------------------------------


def test_the_access_log_gives_bloom_s_reasons_in_the_readers_language_and_a_persons_as_typed(client, world):
    for reason in (str(Said("log.safety_plan_version", version=2)), "Crisis call at night"):
        AccessLogEntry.objects.create(
            user=world.supervisor,
            action=AccessLogEntry.Action.VIEW,
            target_type=ContentType.objects.get_for_model(Case),
            target_id=world.case_a.pk,
            target_label=world.case_a.survivor.client_code,
            reason=reason,
        )
    client.force_login(speaks(world.supervisor, "es"))

    html = client.get(reverse("cases:access_log", args=[world.case_a.pk])).content.decode()

    assert in_spanish("Safety plan, version %(version)s", version=2) in html
    assert "Crisis call at night" in html
    assert "log.safety_plan_version" not in html


# Converting what was stored before codes -------------------------------------------------------


def test_the_migration_stores_bloom_s_old_sentences_as_codes_and_leaves_the_rest(world):
    closure = services.request_closure(
        world.case_a,
        by=world.specialist,
        closed_on=world.case_a.opened_on,
        reason="goals met",
        living_situation="own home",
        immigration_relief="neither",
        hhs_certification="not applicable",
    )
    services.return_closure(closure, by=world.supervisor, note="Withdrawn.")  # as withdrawing once stored it
    returned = services.request_closure(
        world.case_a,
        by=world.specialist,
        closed_on=world.case_a.opened_on,
        reason="goals met",
        living_situation="own home",
        immigration_relief="neither",
        hhs_certification="not applicable",
    )
    services.return_closure(returned, by=world.supervisor, note="Add the living situation.")
    titled = _document(world.case_a, "Signed release: Legal Aid Partners", Document.Kind.SIGNED_FORM)
    typed = _document(world.case_a, "Signed release: my own words", Document.Kind.LETTER)
    Case.history.filter(id=world.case_a.pk).update(history_change_reason="Intake started")

    migration.to_codes(apps, None)

    closure.refresh_from_db()
    returned.refresh_from_db()
    titled.refresh_from_db()
    typed.refresh_from_db()
    assert (closure.status, closure.decision_note) == (Closure.Status.WITHDRAWN, "")
    assert (returned.status, returned.decision_note) == (Closure.Status.RETURNED, "Add the living situation.")
    assert titled.title == 'document.signed_release|["Legal Aid Partners"]'
    assert typed.title == "Signed release: my own words"  # a person's title, on a letter
    assert set(Case.history.filter(id=world.case_a.pk).values_list("history_change_reason", flat=True)) == {
        "case.intake_started"
    }


def _document(case, title: str, kind: str) -> Document:
    return Document.objects.create(
        case=case,
        kind=kind,
        title=title,
        original_name="form.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=case.created_by,
    )
