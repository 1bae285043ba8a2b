"""The case list's filter widgets, written in Python (``cases.forms.listing``), give the HTML
Django's widget templates give, field by field: unbound, bound, with messages, in Spanish."""

import pytest
from django import forms
from django.utils import translation

from cases.forms import CaseFilterForm
from tests.bloom.reports.team_program import TeamProgram


def by_template(bound: forms.BoundField) -> str:
    """The field as the Django widget its own is written after renders it, through its template."""
    ours = bound.field.widget
    django_widget = next(kind for kind in type(ours).__mro__ if kind.__module__ == "django.forms.widgets")
    if isinstance(ours, forms.Select):
        widget = django_widget(attrs=ours.attrs, choices=ours.choices)
    else:
        widget = django_widget(attrs={**ours.attrs, "type": ours.input_type})
    return bound.as_widget(widget=widget)


def assert_each_field_as_django_gives(form: CaseFilterForm) -> None:
    for bound in form:
        assert type(bound.field.widget).render is not forms.Widget.render, bound.name
        assert str(bound) == by_template(bound), bound.name


def every_field_set(program: TeamProgram) -> dict[str, str]:
    w = program.world
    phase = CaseFilterForm(user=w.supervisor).fields["phase"].choices[1][0]
    return {
        "q": 'Ana "<b>" O\'Brien & Co',
        "status": "active",
        "team": str(w.team_a.pk),
        "specialist": str(w.colleague.pk),
        "needs": "contact_overdue",
        "phase": str(phase),
        "referred": "2026-01",
        "enrolled": "2025-12",
        "closed": "2026-02",
        "unassigned": "on",
        "mine": "on",
    }


def test_an_unbound_form_renders_as_djangos_templates(program):
    assert_each_field_as_django_gives(CaseFilterForm(user=program.world.supervisor))


def test_a_form_with_every_filter_set_renders_as_djangos_templates(program):
    # A name that needs escaping, in a choice's label as in a typed value.
    program.world.colleague.full_name = 'Ana "<b>" O\'Brien & Co'
    program.world.colleague.save()
    form = CaseFilterForm(every_field_set(program), user=program.world.supervisor)

    assert form.is_valid(), form.errors
    assert_each_field_as_django_gives(form)


def test_a_form_with_a_message_on_every_field_renders_as_djangos_templates(program):
    w = program.world
    data = {
        "q": "x" * 101,
        "status": "nonsense",
        "team": str(w.team_b.pk),
        "specialist": str(w.outsider.pk),
        "needs": "everything",
        "phase": "999999",
        "referred": "2026-13",
        "enrolled": "<script>",
        "closed": "2999-01",
        "unassigned": "on",
    }
    form = CaseFilterForm(data, user=w.supervisor)

    assert set(form.errors) == set(data) - {"unassigned"}
    assert_each_field_as_django_gives(form)


@pytest.mark.parametrize("bound", [False, True])
def test_the_form_in_spanish_renders_as_djangos_templates(program, bound):
    with translation.override("es"):
        data = every_field_set(program) | {"referred": "2026-13"} if bound else None
        form = CaseFilterForm(data, user=program.world.supervisor)

        assert_each_field_as_django_gives(form)
