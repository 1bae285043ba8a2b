import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured

from bloom import privacy
from bloom.privacy import Kind, Registry
from cases.models import Case, Contact, Document, FamilyMember, Screening, Survivor

HistoricalSurvivor = Survivor.history.model
HistoricalContact = Contact.history.model


def test_every_text_field_of_every_model_is_classified():
    assert privacy.text_fields_unregistered() == []


def test_every_registered_name_is_a_field_of_its_model():
    assert privacy.unknown_fields() == []


@pytest.mark.parametrize(
    ("model", "name", "kind"),
    [
        (Survivor, "legal_name", Kind.IDENTIFYING),
        (Survivor, "client_code", Kind.IDENTIFYING),
        (Survivor, "date_of_birth", Kind.IDENTIFYING),
        (Survivor, "immigration_status", Kind.HARMLESS),
        (Case, "guardian_name", Kind.IDENTIFYING),
        (FamilyMember, "name", Kind.IDENTIFYING),
        (Screening, "narrative", Kind.NARRATIVE),
        (Contact, "note", Kind.NARRATIVE),
        (Contact, "occurred_at", Kind.HARMLESS),
        (Document, "file", Kind.FILE),
        (HistoricalSurvivor, "legal_name", Kind.IDENTIFYING),
        (HistoricalContact, "note", Kind.NARRATIVE),
        (HistoricalContact, "history_change_reason", Kind.NARRATIVE),
        (HistoricalContact, "history_type", Kind.HARMLESS),
    ],
)
def test_known_field_has_its_kind(model, name, kind):
    assert privacy.kind_of(model, name) == kind


def test_history_table_has_its_models_kinds_and_its_reason_as_narrative():
    assert (privacy.identifying_fields(HistoricalSurvivor), privacy.narrative_fields(HistoricalSurvivor)) == (
        privacy.identifying_fields(Survivor),
        (*privacy.narrative_fields(Survivor), "history_change_reason"),
    )


def test_file_fields_of_a_document_are_its_file():
    assert privacy.file_fields(Document) == ("file",)


def test_registered_models_are_the_models_not_their_history():
    registered = privacy.registered_models()

    assert (Survivor in registered, HistoricalSurvivor in registered) == (True, False)


def test_project_models_are_the_apps_of_the_project_and_their_history():
    found = privacy.project_models()
    labels = {model._meta.app_label for model in found}

    assert (HistoricalSurvivor in found, Group in found, Session in found) == (True, False, False)
    assert {"accounts", "directory", "audit", "notifications", "reports"} <= labels
    assert {"cases", "phases", "assistance", "outreach", "training"} <= labels
    assert labels.isdisjoint({"auth", "admin", "sessions", "contenttypes", "guardian", "axes", "otp_totp"})


# The checks above are only as good as the registry's own checkers: each one, on a registry of its own.


def test_unclassified_text_field_is_reported_for_the_model_and_its_history():
    registry = Registry()
    registry.register(Contact, harmless=("kind", "initiated_by", "topics"))

    assert registry.text_fields_unregistered([Contact, HistoricalContact]) == [
        "cases.Contact.note",
        "cases.HistoricalContact.note",
    ]


def test_unregistered_model_reports_every_text_field():
    registry = Registry()

    assert registry.text_fields_unregistered([Contact]) == [
        "cases.Contact.kind",
        "cases.Contact.initiated_by",
        "cases.Contact.topics",
        "cases.Contact.note",
    ]


def test_registered_name_that_is_not_a_field_is_reported():
    registry = Registry()
    registry.register(Contact, narrative=("note", "notes"))

    assert registry.unknown_fields() == ["cases.Contact.notes"]


def test_registering_a_model_twice_is_refused():
    registry = Registry()
    registry.register(Contact, narrative=("note",))

    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register(Contact, harmless=("kind",))


def test_field_given_two_kinds_is_refused():
    with pytest.raises(ImproperlyConfigured, match="classified twice"):
        Registry().register(Contact, narrative=("note",), harmless=("note",))


def test_names_given_as_a_bare_string_are_refused():
    with pytest.raises(ImproperlyConfigured, match="as a tuple"):
        Registry().register(Contact, narrative="note")
