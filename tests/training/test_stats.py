"""training.stats: Welch's t-test for pre/post training surveys, checked by hand and against scipy."""

import dataclasses
import math
import random

import pytest
from scipy import stats as scipy_stats

from training.stats import (
    SIGNIFICANT,
    VERY_SIGNIFICANT,
    Comparison,
    compare,
    mark,
    mean,
    t_sf,
    variance,
)

# --- worked by hand ---------------------------------------------------------------------------


def test_equal_sizes_and_spreads_significant():
    before = [2, 3, 3, 4, 2, 3]
    after = [4, 4, 5, 3, 5, 4]
    # Means: before 17/6 = 2.8333, after 25/6 = 4.1667; difference 8/6 = 4/3 = 1.3333.
    # Squared deviations before: (5/6)^2 + (1/6)^2 + (1/6)^2 + (7/6)^2 + (5/6)^2 + (1/6)^2
    #   = (25 + 1 + 1 + 49 + 25 + 1) / 36 = 102/36; variance = 102/36 / 5 = 17/30 = 0.5667.
    # After: (1 + 1 + 25 + 49 + 25 + 1) / 36 = 102/36 too; variance 17/30 = 0.5667.
    # Squared standard errors: 17/30 / 6 = 17/180 each; sum 17/90 = 0.18889; se = 0.43461.
    # t = (4/3) / 0.43461 = 3.0679.
    # df = (17/90)^2 / ((17/180)^2 / 5 + (17/180)^2 / 5); with e = 17/180 that is
    #   (2e)^2 / (2e^2 / 5) = 4 / (2/5) = 10 exactly (equal sizes and variances: 2(n - 1)).
    # Two-sided p for t = 3.068 on 10 df: between the table's 0.02 (2.764) and 0.01 (3.169);
    # p = 0.0119 (scipy.stats.t.sf).
    result = compare(before, after)
    assert result.n_before == 6
    assert result.n_after == 6
    assert result.mean_before == pytest.approx(2.8333, abs=1e-4)
    assert result.mean_after == pytest.approx(4.1667, abs=1e-4)
    assert result.difference == pytest.approx(1.3333, abs=1e-4)
    assert variance(before) == pytest.approx(0.5667, abs=1e-4)
    assert variance(after) == pytest.approx(0.5667, abs=1e-4)
    assert math.sqrt(17 / 90) == pytest.approx(0.43461, abs=1e-5)
    assert result.t == pytest.approx(3.0679, abs=1e-4)
    assert result.df == pytest.approx(10.0)
    assert result.p == pytest.approx(0.0119, abs=5e-5)
    assert result.mark == "*"


def test_unequal_sizes_very_significant():
    before = [1, 2, 2, 3, 2]
    after = [4, 5, 4, 3, 5, 4, 5]
    # Means: before 10/5 = 2, after 30/7 = 4.2857; difference 16/7 = 2.2857.
    # Variance before: (1 + 0 + 0 + 1 + 0) / 4 = 0.5.
    # Variance after: deviations -2/7, 5/7, -2/7, -9/7, 5/7, -2/7, 5/7;
    #   squares (4 + 25 + 4 + 81 + 25 + 4 + 25) / 49 = 168/49 = 24/7; / 6 = 4/7 = 0.5714.
    # Squared standard errors: 0.5 / 5 = 0.1 and (4/7) / 7 = 4/49 = 0.081633;
    #   sum 89/490 = 0.181633; se = 0.42618.
    # t = 2.2857 / 0.42618 = 5.3632.
    # df = 0.181633^2 / (0.1^2 / 4 + 0.081633^2 / 6) = 0.032991 / (0.0025 + 0.0011107)
    #    = 0.032991 / 0.0036107 = 9.137 (exactly 95052/10403).
    # Two-sided p for t = 5.363 on 9.137 df: beyond the table's 0.001 (4.78 at 9 df);
    # p = 0.0004 (0.000432, scipy.stats.t.sf).
    result = compare(before, after)
    assert result.mean_before == pytest.approx(2.0)
    assert result.mean_after == pytest.approx(4.2857, abs=1e-4)
    assert result.difference == pytest.approx(2.2857, abs=1e-4)
    assert variance(before) == pytest.approx(0.5)
    assert variance(after) == pytest.approx(0.5714, abs=1e-4)
    assert math.sqrt(89 / 490) == pytest.approx(0.42618, abs=1e-5)
    assert result.t == pytest.approx(5.3632, abs=1e-4)
    assert result.df == pytest.approx(95052 / 10403)
    assert result.df == pytest.approx(9.137, abs=1e-3)
    assert result.p == pytest.approx(0.0004, abs=5e-5)
    assert result.mark == "**"


def test_small_difference_not_significant():
    before = [3, 4, 2, 5, 3, 4, 4]
    after = [4, 2, 5, 4]
    # Means: before 25/7 = 3.5714, after 15/4 = 3.75; difference 5/28 = 0.1786.
    # Variance before: deviations -4/7, 3/7, -11/7, 10/7, -4/7, 3/7, 3/7;
    #   squares (16 + 9 + 121 + 100 + 16 + 9 + 9) / 49 = 280/49 = 40/7; / 6 = 20/21 = 0.9524.
    # Variance after: deviations 1/4, -7/4, 5/4, 1/4; squares (1 + 49 + 25 + 1) / 16 = 76/16;
    #   / 3 = 19/12 = 1.5833.
    # Squared standard errors: (20/21) / 7 = 20/147 = 0.136054 and (19/12) / 4 = 19/48 = 0.395833;
    #   sum 417/784 = 0.531888; se = 0.72931.
    # t = 0.17857 / 0.72931 = 0.2449.
    # df = 0.531888^2 / (0.136054^2 / 6 + 0.395833^2 / 3) = 0.282904 / (0.0030851 + 0.0522280)
    #    = 0.282904 / 0.0553131 = 5.115 (exactly 1565001/305987).
    # Two-sided p for t = 0.245 on 5.115 df: far below the table's 0.50 (0.727 at 5 df);
    # p = 0.8161 (scipy.stats.t.sf).
    result = compare(before, after)
    assert result.mean_before == pytest.approx(3.5714, abs=1e-4)
    assert result.mean_after == pytest.approx(3.75)
    assert result.difference == pytest.approx(0.1786, abs=1e-4)
    assert variance(before) == pytest.approx(0.9524, abs=1e-4)
    assert variance(after) == pytest.approx(1.5833, abs=1e-4)
    assert math.sqrt(417 / 784) == pytest.approx(0.72931, abs=1e-5)
    assert result.t == pytest.approx(0.2449, abs=1e-4)
    assert result.df == pytest.approx(1565001 / 305987)
    assert result.df == pytest.approx(5.115, abs=1e-3)
    assert result.p == pytest.approx(0.8161, abs=5e-5)
    assert result.mark == ""


def test_a_drop_gives_a_negative_t_and_the_same_p():
    rise = compare([2, 3, 3, 4, 2, 3], [4, 4, 5, 3, 5, 4])
    drop = compare([4, 4, 5, 3, 5, 4], [2, 3, 3, 4, 2, 3])
    assert drop.t == pytest.approx(-rise.t)
    assert drop.difference == pytest.approx(-rise.difference)
    assert drop.df == pytest.approx(rise.df)
    assert drop.p == pytest.approx(rise.p)


# --- the t distribution -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "df", "tail"),
    [
        (2.228, 10, 0.025),  # t table: t(0.025, 10) = 2.228
        (1.812, 10, 0.05),  # t(0.05, 10) = 1.812
        (3.169, 10, 0.005),  # t(0.005, 10) = 3.169
        (12.706, 1, 0.025),  # t(0.025, 1) = 12.706
        (2.042, 30, 0.025),  # t(0.025, 30) = 2.042
        (2.660, 60, 0.005),  # t(0.005, 60) = 2.660
    ],
)
def test_t_table_values(t, df, tail):
    # Table critical values are rounded to three decimals, so the tail agrees to about 1e-4.
    assert t_sf(t, df) == pytest.approx(tail, abs=1e-4)


@pytest.mark.parametrize("t", [0.1, 0.5, 1.0, 2.0, 7.5, 100.0])
def test_one_degree_of_freedom_is_cauchy(t):
    assert t_sf(t, 1) == pytest.approx(0.5 - math.atan(t) / math.pi, rel=1e-12)


@pytest.mark.parametrize("t", [0.1, 0.5, 1.0, 2.0, 7.5, 100.0])
def test_two_degrees_of_freedom_closed_form(t):
    assert t_sf(t, 2) == pytest.approx(0.5 - t / (2 * math.sqrt(2 + t * t)), rel=1e-12)


@pytest.mark.parametrize("t", [0.1, 0.5, 1.0, 2.0, 7.5])
def test_three_degrees_of_freedom_closed_form(t):
    u = t / math.sqrt(3)
    assert t_sf(t, 3) == pytest.approx(0.5 - (math.atan(u) + u / (1 + u * u)) / math.pi, rel=1e-12)


def test_cauchy_at_two_exactly():
    assert t_sf(2.0, 1) == pytest.approx(0.5 - math.atan(2) / math.pi, rel=1e-14)


@pytest.mark.parametrize("df", [0.5, 1, 2.5, 10, 117.3, 1e6])
def test_zero_is_the_median(df):
    assert t_sf(0.0, df) == 0.5


@pytest.mark.parametrize("df", [0.5, 1, 2.5, 10, 117.3, 1e6])
@pytest.mark.parametrize("t", [0.01, 0.7, 1.96, 4.0, 30.0])
def test_symmetry(t, df):
    assert t_sf(-t, df) == pytest.approx(1 - t_sf(t, df), rel=1e-12, abs=1e-15)


def test_large_df_approaches_the_normal():
    normal = 0.5 * math.erfc(1.96 / math.sqrt(2))  # 0.0249979
    assert t_sf(1.96, 1e6) == pytest.approx(0.025, abs=1e-5)
    assert t_sf(1.96, 1e6) == pytest.approx(normal, abs=1e-6)
    # The t distribution's heavier tail is still (just) visible: the first correction term is
    # phi(t) (t^3 + t) / (4 df).
    phi = math.exp(-(1.96**2) / 2) / math.sqrt(2 * math.pi)
    assert t_sf(1.96, 1e6) == pytest.approx(normal + phi * (1.96**3 + 1.96) / 4e6, rel=1e-8)


def test_non_integer_df_lies_between_its_neighbours():
    assert t_sf(2.0, 2) > t_sf(2.0, 2.5) > t_sf(2.0, 3)
    assert t_sf(2.0, 9) > t_sf(2.0, 9.137) > t_sf(2.0, 10)


@pytest.mark.parametrize("df", [0.3, 1.5, 2.5, 5.114599639853981, 9.136979717389215, 47.25, 1234.5])
@pytest.mark.parametrize("t", [0.05, 0.5, 1.0, 2.0, 3.5, 8.0, 40.0])
def test_agrees_with_scipy_for_non_integer_df(t, df):
    assert t_sf(t, df) == pytest.approx(scipy_stats.t.sf(t, df), rel=1e-9, abs=1e-15)


def test_infinite_t():
    assert t_sf(math.inf, 4) == 0.0
    assert t_sf(-math.inf, 4) == 1.0


@pytest.mark.parametrize("df", [0, -1])
def test_df_must_be_positive(df):
    with pytest.raises(ValueError, match="degrees of freedom"):
        t_sf(1.0, df)


# --- against scipy ----------------------------------------------------------------------------


# scipy warns of "catastrophic cancellation" when one side has no spread (all answers the
# same), which a 1-5 scale gives now and then; its answer is still exact, as is ours.
NO_SPREAD_WARNING = pytest.mark.filterwarnings("ignore:Precision loss occurred in moment calculation:RuntimeWarning")


def random_surveys(seed: int) -> tuple[list[int], list[int]]:
    """Two lists of 2 to 60 scores on a 1-5 or 1-10 scale, not both without any spread."""
    rng = random.Random(seed)  # noqa: S311 (made-up survey scores, not secrets)
    top = rng.choice([5, 10])
    while True:
        before = [rng.randint(1, top) for _ in range(rng.randint(2, 60))]
        after = [rng.randint(1, top) for _ in range(rng.randint(2, 60))]
        # Two sides with no spread at all are an edge case of their own (tested below);
        # scipy answers those with inf or nan.
        if len(set(before)) > 1 or len(set(after)) > 1:
            return before, after


@NO_SPREAD_WARNING
@pytest.mark.parametrize("seed", range(200))
def test_agrees_with_scipy_welch(seed):
    before, after = random_surveys(seed)
    expected = scipy_stats.ttest_ind(after, before, equal_var=False)
    result = compare(before, after)
    assert result.t == pytest.approx(float(expected.statistic), rel=1e-9, abs=1e-9)
    assert result.df == pytest.approx(float(expected.df), rel=1e-9, abs=1e-9)
    assert result.p == pytest.approx(float(expected.pvalue), rel=1e-9, abs=1e-9)
    assert 0.0 <= result.p <= 1.0


def test_the_random_surveys_cover_the_ground():
    surveys = [random_surveys(seed) for seed in range(200)]
    sizes = {len(side) for pair in surveys for side in pair}
    tops = {max(*before, *after) for before, after in surveys}
    marks = {compare(before, after).mark for before, after in surveys}
    assert min(sizes) == 2
    assert max(sizes) >= 58
    assert max(tops) == 10
    assert min(tops) <= 5
    assert marks == {"", "*", "**"}


@NO_SPREAD_WARNING
def test_one_side_without_spread_agrees_with_scipy():
    before, after = [3, 3, 3], [3, 4, 5]
    expected = scipy_stats.ttest_ind(after, before, equal_var=False)
    result = compare(before, after)
    assert result.t == pytest.approx(float(expected.statistic), rel=1e-12)
    assert result.df == pytest.approx(2.0)  # Welch's df falls back to n_after - 1
    assert result.p == pytest.approx(float(expected.pvalue), rel=1e-12)


# --- edge cases -------------------------------------------------------------------------------


def test_both_sides_empty():
    result = compare([], [])
    assert result == Comparison(0, 0, None, None, t=None, df=None, p=None)
    assert result.difference is None
    assert result.mark == ""


def test_no_answers_before():
    result = compare([], [3, 4])
    assert result == Comparison(0, 2, None, 3.5, t=None, df=None, p=None)
    assert result.difference is None
    assert result.mark == ""


def test_no_answers_after():
    result = compare([1, 2, 3], [])
    assert result == Comparison(3, 0, 2.0, None, t=None, df=None, p=None)
    assert result.difference is None


def test_one_answer_on_a_side_gives_means_but_no_test():
    result = compare([3], [4, 5])
    assert result == Comparison(1, 2, 3.0, 4.5, t=None, df=None, p=None)
    assert result.difference == 1.5
    assert result.mark == ""
    assert compare([4, 5], [3]).t is None


def test_same_answer_everywhere_is_no_change():
    result = compare([3, 3, 3], [3, 3])
    assert result == Comparison(3, 2, 3.0, 3.0, t=0.0, df=None, p=1.0)
    assert result.difference == 0.0
    assert result.mark == ""


def test_different_answers_without_any_spread_cannot_be_tested():
    result = compare([3, 3, 3], [4, 4])
    assert result == Comparison(3, 2, 3.0, 4.0, t=None, df=None, p=None)
    assert result.difference == 1.0
    assert result.mark == ""


def test_equal_means_give_p_one():
    result = compare([1, 5, 3], [2, 4, 3, 3])
    assert result.t == 0.0
    assert result.p == 1.0


def test_p_is_never_above_one_or_below_zero():
    assert compare([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]).p == 1.0
    far_apart = compare([1, 1, 1, 1, 1, 1, 1, 2] * 20, [100, 100, 100, 100, 99] * 20)
    assert 0.0 <= far_apart.p < 1e-100
    assert far_apart.mark == "**"


def test_comparison_is_frozen():
    result = compare([1, 2], [3, 4])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.p = 0.5


def test_mean():
    assert mean([]) is None
    assert mean([4]) == 4.0
    assert mean([1, 2]) == 1.5
    assert isinstance(mean([2, 2]), float)
    assert mean([0.1, 0.2, 0.3]) == pytest.approx(0.2)


def test_variance():
    assert variance([]) is None
    assert variance([4]) is None
    assert variance([1, 2]) == 0.5
    assert variance([2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx(32 / 7)
    assert isinstance(variance([2, 2]), float)
    # No spread is exactly zero, even where the mean of the floats rounds a hair off them.
    assert variance([0.1] * 3) == 0.0


# --- marks ------------------------------------------------------------------------------------


def test_thresholds():
    assert SIGNIFICANT == 0.05
    assert VERY_SIGNIFICANT == 0.01


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.0, "**"),
        (0.0099, "**"),
        (0.01, "*"),
        (0.0499, "*"),
        (0.05, ""),
        (0.5, ""),
        (1.0, ""),
        (None, ""),
    ],
)
def test_mark(p, expected):
    assert mark(p) == expected
    assert Comparison(5, 5, 1.0, 2.0, t=1.0, df=8.0, p=p).mark == expected
