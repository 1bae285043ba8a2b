"""Names folded for comparison: ``bloom.text``."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bloom.text import fold, fold_lines


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("José Núñez", "jose nunez"),
        ("  JOSÉ   núñez ", "jose nunez"),
        ("Nguyễn Thị Đào", "nguyen thi dao"),
        ("Łukasz Søren Æbelø", "lukasz soren aebelo"),
        ("İpek Y\u0131ld\u0131z", "ipek yildiz"),  # Turkish: a dotted capital, a dotless i
        ("Straße", "strasse"),
        ("ﬁnn", "finn"),
        ("\u0301\u0303", ""),  # accents alone: nothing is left
        ("王小明", "王小明"),  # a script without case or accents is kept as written
    ],
)
def test_fold_takes_away_accents_case_and_extra_spaces(typed, folded):
    assert fold(typed) == folded


def test_fold_lines_keeps_other_names_apart_and_drops_empty_lines():
    assert fold_lines("Mari Q\n\n   \n  La Güera \r\nLUPE") == "mari q\nla guera\nlupe"


@given(st.text(max_size=40))
def test_folding_twice_changes_nothing(text):
    assert fold(fold(text)) == fold(text)
