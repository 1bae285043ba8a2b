"""Public tables withhold small counts, and what would give one away."""

import pytest

from bloom.reports.figures import Row, Table


def table(*counts, suppress=True) -> Table:
    rows = tuple(Row(f"r{i}", f"Row {i}", (n,)) for i, n in enumerate(counts))
    return Table("t", "T", (("people", "People"),), rows, suppress_small=suppress)


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ((12, 9, 3), [12, "not shown", "fewer than 5"]),  # one small cell: the next smallest goes too
        ((12, 9, 3, 2), [12, 9, "fewer than 5", "fewer than 5"]),  # two small cells hide each other
        ((12, 0, 7), [12, 0, 7]),  # nothing small: zeros are shown
        ((3,), ["fewer than 5"]),  # nothing else to withhold
        ((5, 5, 1), ["not shown", 5, "fewer than 5"]),  # the first of equal smallest goes
    ],
)
def test_a_public_table_withholds_small_counts_and_the_next_smallest(counts, shown):
    made = table(*counts)

    assert [made.cell(r, 0) for r in range(len(counts))] == shown


def test_a_funder_table_is_exact():
    made = table(12, 9, 3, suppress=False)

    assert [made.cell(r, 0) for r in range(3)] == [12, 9, 3]
