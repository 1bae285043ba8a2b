"""A random sweep on top of the fixed corpus: posts with one to three fields spoiled at random.

Hypothesis draws each spoiled field's value from its kind's corpus or from random values of
the kind (any text, any integer, any date...), the other fields valid, below HTTP as
``harness.attack`` sends them. The profile decides how far it looks: ``ci`` (the default, and
what `make test` runs) is derandomized, the same few examples every run; ``dev`` is random and
small; ``deep`` (`make fuzz`) is random, long, prints its seed and keeps failing examples in
``var/hypothesis`` to replay them first next time. See tests/conftest.py for the profiles.
"""

import pytest
from django import forms
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile import test_assistance, test_cases, test_outreach, test_phases, test_platform, test_training
from tests.hostile.corpus import _choice_keys, kind_of, text_limit, values_for
from tests.hostile.harness import Target, as_post, every_row_has_history, fields_of
from tests.objects import Objects

APPS = [
    (test_platform.TARGETS, test_platform.assert_platform_consistent),
    (test_cases.TARGETS, test_cases.assert_cases_consistent),
    (test_phases.TARGETS, test_phases.assert_phases_consistent),
    (test_assistance.TARGETS, test_assistance.assert_assistance_consistent),
    (test_outreach.TARGETS, test_outreach.assert_outreach_consistent),
    (test_training.TARGETS, test_training.assert_training_consistent),
]
SWEPT = [
    pytest.param(target, consistent, id=str(target))
    for targets, consistent in APPS
    for target in targets
    if target.method == "post" and target.stores
]


def random_of_kind(field: forms.Field) -> st.SearchStrategy:
    """Random values a field of this kind might be sent, beyond the fixed corpus."""
    kind = kind_of(field)
    limit = text_limit(field)
    strategies = {
        "text": st.text(max_size=(limit or 200) + 5),
        "number": st.integers(min_value=-(2**63), max_value=2**63).map(str),
        "money": st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
        "date": st.dates().map(lambda d: d.isoformat()),
        "datetime": st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
        "time": st.times().map(lambda t: t.strftime("%H:%M")),
        "boolean": st.sampled_from(["on", "", "true", "false"]),
    }
    if kind in {"choice", "multiple choice"}:
        keys = st.sampled_from([*_choice_keys(field), "nope"])
        return keys if kind == "choice" else st.lists(keys, max_size=4)
    if kind in {"id", "ids"}:
        pks = st.integers(min_value=-5, max_value=10_000).map(str)
        return pks if kind == "id" else st.lists(pks, max_size=3)
    return strategies.get(kind, st.sampled_from([h.value for h in values_for(field)]))


def spoiled_posts(target: Target, objects: Objects) -> st.SearchStrategy[dict]:
    fields = fields_of(target, objects)

    @st.composite
    def post(draw):
        values = dict(target.valid(objects))
        chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique_by=lambda f: f[0]))
        for name, field in chosen:
            values[name] = draw(st.one_of(st.sampled_from([h.value for h in values_for(field)]), random_of_kind(field)))
        return values

    return post()


@pytest.mark.parametrize(("target", "consistent"), SWEPT)
def test_random_posts_are_answered_and_keep_the_records_whole(objects, target, consistent):
    stored = []

    @given(values=spoiled_posts(target, objects))
    def post(values):
        page = target.bind(objects, *as_post(values))
        try:
            with transaction.atomic():  # a database error stays with its example, as in attack()
                stored.append(bool(target.submit(objects, page)))
        except Exception as error:
            raise AssertionError(f"{target}: {values!r:.300}: {error!r}") from error

    post()

    consistent()
    every_row_has_history()
    assert stored, "no example ran"
