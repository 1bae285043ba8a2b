"""The words Bloom stores as codes: every code's words, how they fit their column, and how the
sentences stored before codes are converted."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone, translation
from django.utils.functional import lazy
from hypothesis import given
from hypothesis import strategies as st

from bloom import said
from bloom.said import LONGEST_REASON, Said
from cases import services
from cases.models import Contact, Survivor

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bloom", "cases", "phases", "assistance", "outreach", "training", "retention")


def samples(words: said.Words) -> dict:
    return {name: param.sample() for name, param in words.params.items()}


CODES = sorted(said.catalogue())


@pytest.mark.django_db  # a row named by id is looked up
@pytest.mark.parametrize("code", CODES)
def test_every_code_says_its_words_in_english_and_spanish(code):
    words = said.catalogue()[code]
    stored = Said(code, **samples(words)).stored(limit=10_000)

    with translation.override("en"):
        english = said.render(stored)
    with translation.override("es"):
        spanish = said.render(stored)

    assert said.parsed(stored) is not None
    assert "%(" not in english
    assert english not in ("", stored)
    assert "%(" not in spanish
    assert spanish


@pytest.mark.parametrize("code", CODES)
def test_every_code_fits_a_history_row_with_its_longest_parameters(code):
    stored = str(Said(code, **samples(said.catalogue()[code])))

    assert len(stored) <= LONGEST_REASON
    assert said.parsed(stored) is not None


# The longest values each kind of parameter takes; a person's words are any text at all.
VALUES = {
    said.Fields: st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,40}", fullmatch=True), min_size=1, max_size=60),
    said.Number: st.integers(min_value=0, max_value=10**9),
    said.Day: st.dates(),
    said.Named: st.integers(min_value=1, max_value=2**63 - 1),
    said.Language: st.sampled_from(["en", "es"]),
}


def _values(param: said.Param):
    if isinstance(param, said.Choice):
        return st.sampled_from(param.choices.values)
    kind = next((kind for kind in VALUES if isinstance(param, kind)), None)
    return VALUES[kind] if kind else st.text(max_size=400)


@st.composite
def said_anything(draw):
    code = draw(st.sampled_from(CODES))
    words = said.catalogue()[code]
    return Said(code, **{name: draw(_values(param)) for name, param in words.params.items()})


@pytest.mark.django_db
@given(said_anything())
def test_no_reason_is_ever_longer_than_its_column(written):
    stored = str(written)

    assert len(stored) <= LONGEST_REASON
    assert said.parsed(stored) is not None
    with translation.override("es"):
        assert said.render(stored)


def test_field_names_left_out_to_fit_are_counted():
    stored = str(Said("contact.corrected", fields=[f"a_rather_long_field_name_{n}" for n in range(10)]))

    with translation.override("en"):
        shown = said.render(stored)

    assert len(stored) <= LONGEST_REASON
    assert shown.startswith("Corrected a_rather_long_field_name_0, ")
    assert re.search(r"and [0-9]+ more$", shown)


def test_a_persons_words_are_shortened_last_and_marked():
    stored = str(Said("field.cleared_in", count=2, why="We no longer keep phones. " * 10))

    assert len(stored) == LONGEST_REASON
    assert said.values_of(stored)[1]["why"].endswith("\u2026")


def test_a_persons_words_of_seventy_characters_are_kept_whole():
    why = "x" * 70

    assert said.values_of(str(Said("field.cleared_in", count=123456, why=why)))[1]["why"] == why


def test_fields_are_named_in_the_readers_language_when_the_model_is_known():
    stored = str(Said("row.changed", fields=["legal_name", "town"]))

    with translation.override("en"):
        assert said.render(stored, model=Survivor.history.model) == "Changed legal name and town of residence"
        assert said.render(stored) == "Changed legal_name and town"


def test_fields_the_reader_may_not_see_changed_are_left_out():
    stored = str(Said("row.changed", fields=["preferred_name", "immigration_status"]))
    reading = said.Reading(Survivor, hidden=Survivor.SENSITIVE_FIELDS)

    with translation.override("en"):
        assert said.render(stored, reading=reading) == "Changed preferred name"


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "Contact logged",  # a sentence stored before codes, not converted
        "We met at the clinic.",  # a person's own words
        "contact.logged|not json",
        "contact.corrected",  # its parameters are missing
        "no.such.code",
        "contact.corrected|[1,2]",
    ],
)
def test_anything_that_is_no_code_is_shown_as_it_is(stored):
    assert said.render(stored) == stored


def test_a_code_not_in_the_catalogue_cannot_be_stored():
    with pytest.raises(LookupError):
        str(Said("contact.gossiped"))
    with pytest.raises(TypeError):
        str(Said("contact.corrected"))


def test_a_translation_that_lost_a_parameter_falls_back_to_english(monkeypatch):
    def corrected() -> str:
        return "Corregido %(campos)s" if translation.get_language() == "es" else "Corrected %(fields)s"

    monkeypatch.setattr(said.catalogue()["contact.corrected"], "text", lazy(corrected, str)())
    stored = str(Said("contact.corrected", fields=["note"]))

    with translation.override("es"):
        shown = said.render(stored, model=Contact)

    assert shown.startswith("Corrected ")


# Every code written in the code is in the catalogue ------------------------------------------


def _written_codes() -> set[str]:
    """Every code the source passes to ``Said``: literally, through a conditional, or through a
    name assigned in the same function; an f-string gives its fixed start."""
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]:
                assigned = {}
                for node in ast.walk(function):
                    if isinstance(node, ast.Assign):
                        for target in node.targets:
                            if isinstance(target, ast.Name):
                                assigned.setdefault(target.id, []).append(node.value)
                for node in ast.walk(function):
                    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Said" and node.args:
                        found |= _codes_in(node.args[0], assigned)
    return found


def _codes_in(node, assigned) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes_in(node.body, assigned) | _codes_in(node.orelse, assigned)
    if isinstance(node, ast.Name):
        return set().union(*(_codes_in(value, {}) for value in assigned.get(node.id, [])))
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        return {f"{node.values[0].value}*"}
    return set()


def test_every_code_the_services_write_has_its_words():
    catalogue = said.catalogue()
    written = _written_codes()

    def known(code: str) -> bool:
        if code.endswith("*"):  # an f-string's fixed start
            return any(each.startswith(code[:-1]) for each in catalogue)
        return code in catalogue

    missing = sorted(code for code in written if not known(code))
    assert len(written) > 100
    assert missing == []


# Sentences stored before codes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app", "text", "code"),
    [
        ("cases", "Contact logged", "contact.logged"),
        ("cases", "Changed legal_name, town", 'row.changed|[["legal_name","town"]]'),
        ("cases", "Corrected note, kind", 'contact.corrected|[["note","kind"]]'),
        ("cases", "Closed: goals met", 'case.closed|["goals met"]'),
        ("cases", "Service given: Peer mentoring", 'service_event.given|["Peer mentoring"]'),
        ("cases", "Next contact agreed for 2026-03-03", 'case.next_contact_agreed|["2026-03-03"]'),
        ("cases", "Moved to team Beta; Assigned to Cora Colleague", "case.moved_reassigned"),
        ("cases", "Assigned to nobody", "case.reassigned"),
        ("cases", "Document added (signed form)", 'document.added|["signed form"]'),
        (
            "cases",
            "Cleared in 2 records: We no longer keep phones.",
            'field.cleared_in|[2,"We no longer keep phones."]',
        ),
        ("cases", "Cleared phone: We no longer keep phones.", 'field.cleared|[["phone"],"We no longer keep phones."]'),
        ("cases", "Age at intake kept for the reports", "case.intake_age_kept"),  # the purge's, in a case's history
        ("cases", "Request for help passed to intake", "intake_request.passed"),
        ("outreach", "Request for help passed to intake", "handoff.passed"),
        ("phases", "Progress note with the status change from In progress", 'goal_note.with_status|["in progress"]'),
        ("phases", "Budget worksheet for 2026-03", 'budget.started|["2026-03"]'),
        ("phases", "Action step done: done_on", 'step.done|[["done_on"]]'),
        (
            "retention",
            "Policy: narratives 24→12, reopening window 6→3",
            'policy.changed|[["narratives_months","reopen_months"]]',
        ),
        ("retention", "Purged: identity", 'tombstone.purged|["identity"]'),
        ("assistance", "Removed: given twice by mistake", 'help.removed|["given twice by mistake"]'),
        ("training", "New version of v2", "instrument.revised|[2]"),
        ("audit", "document 12 (letter)", 'log.document|[12,"letter"]'),
        ("audit", "payments 2026-01-01 to 2026-03-31 (4 rows)", 'log.payments|["2026-01-01","2026-03-31",4]'),
        ("audit", "xlsx", 'log.export|["xlsx"]'),
        (
            "audit",
            "Service report for organization Safe Harbor (#3), 2026-01-01 to 2026-03-31",
            'log.service_report_organization|["2026-01-01","2026-03-31","Safe Harbor (#3)"]',
        ),
        ("audit", "The survivor's copy of their record, in es, with staff notes", 'log.survivor_copy_notes|["es"]'),
        ("reports", "Submitted hhs 2026-01-01 to 2026-03-31", 'report.submitted|["hhs","2026-01-01","2026-03-31"]'),
    ],
)
def test_a_sentence_stored_before_codes_becomes_its_code(app, text, code):
    assert said.converted(text, app=app) == code


@pytest.mark.parametrize(
    "text",
    [
        "Imported from the old system",
        "We met at the clinic.",
        "Changed Legal Name",
        "Policy: whatever it was",
        "Status: ",
    ],
)
def test_a_sentence_not_recognised_stays_as_it_is(text):
    assert said.converted(text, app="cases") is None
    assert said.converted(text, app="retention") is None


def test_a_sentence_in_the_writers_language_is_recognised_in_any_language():
    with translation.override("es"):
        spanish = translation.gettext("Signed release: %(to)s") % {"to": "Safe Harbor"}

    assert said.message_values("Signed release: Safe Harbor", "Signed release: %(to)s") == {"to": "Safe Harbor"}
    assert said.message_values(spanish, "Signed release: %(to)s") == {"to": "Safe Harbor"}
    assert said.message_values("My own title", "Signed release: %(to)s") is None


def test_converting_a_history_table_changes_only_what_bloom_wrote(world):
    logged = [
        services.log_contact(
            world.case_a,
            by=world.specialist,
            kind=Contact.Kind.PHONE,
            occurred_at=timezone.now(),
            initiated_by=Contact.Initiator.STAFF,
        )
        for _ in range(2)
    ]
    rows = Contact.history.filter(id__in=[contact.pk for contact in logged]).order_by("history_id")
    rows.filter(id=logged[0].pk).update(history_change_reason="Contact logged")
    rows.filter(id=logged[1].pk).update(history_change_reason="Called twice, as agreed")

    said.convert_history(apps, "cases")

    assert list(rows.values_list("history_change_reason", flat=True)) == ["contact.logged", "Called twice, as agreed"]


@pytest.mark.parametrize(
    "stored", ["row.changed|[5]", 'row.changed|[{"a": 1}]', 'log.survivor_copy|[["x"]]', "log.document|[1,[2]]"]
)
def test_parameters_that_are_not_what_the_code_stores_are_shown_as_stored(stored):
    """A row edited by hand, or text that only looks like a code, never fails the page."""
    assert said.parsed(stored) is not None
    assert said.render(stored) == stored


def test_a_persons_words_that_read_like_a_code_are_refused_where_they_share_a_column(world):
    from cases.services.access import AccessError, open_in_emergency  # noqa: PLC0415

    forged = 'document.signed_release|["Legal Aid"]'
    assert said.looks_like_a_code(forged)
    assert not said.looks_like_a_code("Signed release for Legal Aid")
    with pytest.raises(AccessError):
        open_in_emergency(world.case_b, by=world.specialist, reason=forged)
