"""The director's words in every language: which version a reader sees, what is stored, the forms' fields."""

from types import SimpleNamespace

import pytest
from django import forms
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from bloom import translated
from phases.models import Phase, PhaseStay
from tests.factories import start_plan, template_in_use

SPANISH = {"es": {"name": "Sanar", "checklist": ["Uno", "", "Tres"]}}


def phase(**words):
    return SimpleNamespace(
        name="Heal", purpose="Recovery.", checklist=["One", "Two", "Three"], translations=words or SPANISH
    )


# Which words a reader sees -------------------------------------------------------------------


def test_a_spanish_reader_sees_the_spanish_and_an_english_reader_the_english():
    with translation.override("es"):
        assert translated.local(phase(), "name") == "Sanar"
    with translation.override("en"):
        assert translated.local(phase(), "name") == "Heal"


def test_the_english_shows_where_the_language_has_no_words_or_blank_ones():
    with translation.override("es"):
        assert translated.local(phase(), "purpose") == "Recovery."
        assert translated.local(phase(es={"name": "  "}), "name") == "Heal"
        assert translated.local(phase(fr={"name": "Guérir"}), "name") == "Heal"
        assert translated.local(SimpleNamespace(name="Heal", translations=None), "name") == "Heal"
        assert translated.local(None, "name") == ""


def test_a_list_falls_back_item_by_item():
    with translation.override("es"):
        assert translated.local(phase(), "checklist") == ["Uno", "Two", "Tres"]
        assert translated.local(phase(es={"checklist": ["Uno"]}), "checklist") == ["Uno", "Two", "Three"]
        assert translated.local(phase(es={"checklist": "not a list"}), "checklist") == ["One", "Two", "Three"]


def test_a_scales_points_keep_their_number_and_take_the_words():
    construct = SimpleNamespace(anchors=[[1, "None"], [5, "Expert"]], translations={"es": {"anchors": ["Ninguno"]}})

    with translation.override("es"):
        assert translated.local(construct, "anchors") == [[1, "Ninguno"], [5, "Expert"]]


def test_a_regional_language_reads_its_language_and_one_not_offered_reads_english():
    with translation.override("es-mx"):
        assert translated.local(phase(), "name") == "Sanar"
    assert translated.pick("Heal", SPANISH, "name", "de") == "Heal"
    assert translated.pick("Heal", SPANISH, "name", "es") == "Sanar"


def test_the_template_filter_reads_the_readers_language():
    page = Template(
        '{% load translated %}{{ phase|local:"name" }}: {% for i in phase|local:"checklist" %}{{ i }} {% endfor %}'
    )

    with translation.override("es"):
        assert page.render(Context({"phase": phase()})) == "Sanar: Uno Two Tres "
    with translation.override("en"):
        assert page.render(Context({"phase": phase()})) == "Heal: One Two Three "


@pytest.mark.django_db
def test_the_sql_version_reads_the_same_words_in_the_same_query(world, django_assert_num_queries):
    start_plan(world.case_a, world.specialist)
    rows = PhaseStay.objects.filter(plan__case=world.case_a)

    for language, name in (("es", "Fortalecer"), ("en", "Strengthen")):
        with translation.override(language), django_assert_num_queries(1):
            assert list(rows.values_list(translated.local_expression("phase__name"), flat=True)) == [name]
    strengthen = template_in_use().phases.get(position=1)
    Phase.objects.filter(pk=strengthen.pk).update(translations={"es": {"name": ""}})
    with translation.override("es"):
        assert list(rows.values_list(translated.local_expression("phase__name"), flat=True)) == ["Strengthen"]


# What is stored ------------------------------------------------------------------------------


def test_tidy_keeps_the_offered_languages_words_trimmed_and_leaves_out_the_empty():
    given = {"es": {"name": "  Sanar ", "purpose": " ", "checklist": ["Uno ", "", " "]}, "xx": {"name": "?"}}

    assert translated.tidy(given, ("name", "purpose", "checklist"), lists=("checklist",)) == {
        "es": {"name": "Sanar", "checklist": ["Uno", "", ""]}
    }
    assert translated.tidy({"es": {"name": " "}}, ("name",)) == {}


@override_settings(LANGUAGES=[("en", "English"), ("es", "Spanish"), ("fr", "French")])
def test_a_language_added_to_the_settings_is_stored_and_read_without_a_migration():
    stored = translated.tidy({"fr": {"name": "Guérir"}, "es": {"name": "Sanar"}}, ("name",))

    assert stored == {"es": {"name": "Sanar"}, "fr": {"name": "Guérir"}}
    with translation.override("fr"):
        assert translated.local(SimpleNamespace(name="Heal", translations=stored), "name") == "Guérir"


@override_settings(LANGUAGES=[("en", "English"), ("fr", "French")])
def test_a_language_taken_out_of_the_settings_keeps_its_words_when_the_row_is_saved_again():
    assert translated.tidy({"fr": {"name": "Guérir"}}, ("name",), kept=SPANISH) == {
        "es": SPANISH["es"],
        "fr": {"name": "Guérir"},
    }


def test_a_list_translation_has_one_item_per_english_item_or_none():
    english = {"name": "Heal", "checklist": ["One", "Two"]}
    longest = {"name": 10, "checklist": 20}

    assert translated.problems({"es": {"checklist": ["Uno", "Dos"]}}, english, longest=longest) == {}
    assert translated.problems({"es": {"checklist": []}}, english, longest=longest) == {}
    short = translated.problems({"es": {"checklist": ["Uno"]}}, english, longest=longest)
    assert list(short) == ["checklist_es"]
    assert "The English has 2 items" in short["checklist_es"]
    assert translated.problems({"es": {"name": "x" * 11}}, english, longest=longest) == {
        "name_es": "Keep this to 10 characters or fewer."
    }
    assert translated.problems({"es": {"checklist": ["x" * 21, "Dos"]}}, english, longest=longest) == {
        "checklist_es": "Keep each item to 20 characters or fewer."
    }


def test_a_notice_names_the_phase_in_its_readers_language():
    data = {"code": "B-1", "phase": "Heal", "translations": translated.data_words(phase(), "name", "phase")}

    assert data["translations"] == {"es": {"phase": "Sanar"}}
    with translation.override("es"):
        assert translated.in_active_language(data) == {"code": "B-1", "phase": "Sanar"}
    with translation.override("en"):
        assert translated.in_active_language(data) == {"code": "B-1", "phase": "Heal"}
    # A notice written before the words were kept reads as it was.
    with translation.override("es"):
        assert translated.in_active_language({"code": "B-1", "phase": "Heal"}) == {"code": "B-1", "phase": "Heal"}


# The director's forms ------------------------------------------------------------------------


class NameForm(translated.TranslatedFormMixin, forms.Form):
    translated_fields = ("name", "checklist")
    translated_lines = ("checklist",)

    name = forms.CharField(label="Name", max_length=20, widget=forms.TextInput(attrs={"autofocus": True}))
    checklist = forms.CharField(label="Checklist", required=False, widget=forms.Textarea)
    months = forms.IntegerField(label="Months")


def test_the_form_has_a_field_per_other_language_beside_the_english():
    form = NameForm(initial={"translations": {"es": {"name": "Sanar", "checklist": ["Uno", "Dos"]}}})

    assert list(form.fields) == ["name", "name_es", "checklist", "checklist_es", "months"]
    spanish = form.fields["name_es"]
    assert (spanish.label, spanish.required, spanish.max_length) == ("Name in Español", False, 20)
    assert spanish.widget.attrs == {"maxlength": "20", "lang": "es"}
    assert form["name_es"].value() == "Sanar"
    assert form["checklist_es"].value() == "Uno\nDos"
    assert 'lang="es"' in str(form["name_es"])


def test_the_form_reads_back_what_was_typed_in_each_language():
    form = NameForm({"name": "Heal", "name_es": " Sanar ", "checklist_es": "Uno\n\n Dos ", "months": "4"})

    assert form.is_valid(), form.errors
    assert form.translations() == {"es": {"name": "Sanar", "checklist": ["Uno", "Dos"]}}


@override_settings(LANGUAGES=[("en", "English"), ("es", "Spanish"), ("fr", "French")])
def test_a_language_added_to_the_settings_grows_a_field():
    assert [name for name in NameForm().fields if name.startswith("name")] == ["name", "name_es", "name_fr"]
    assert NameForm().fields["name_fr"].label == "Name in Français"
