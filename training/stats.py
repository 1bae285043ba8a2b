"""Did a training change what people know? Comparing pre- and post-training survey scores.

Each question's answers before the training are compared with the answers after it. The
surveys are anonymous, so nobody's "before" answer can be paired with their "after" answer:
the two lists are independent samples, not pairs. They also differ in size (some people fill
in only one of the two surveys) and often in spread (after a good training the answers tend
to bunch together). Welch's t-test is made for exactly this case: two independent samples
whose sizes and variances may differ. It does not assume equal variances, as Student's
classic two-sample test does, and it needs no pairing, as the paired t-test does.

The test gives a p-value: how likely a difference in means at least this large (either way,
better or worse) would be if the training had changed nothing and the difference were only
chance. The marks shown next to a result:

- ``**``: p < 0.01, very significant; chance alone would rarely give such a difference.
- ``*``: p < 0.05, significant.
- nothing: the difference may well be chance (or there were too few answers to tell).

Everything here is plain Python (no numpy or scipy at run time). The t distribution's tail
is computed from the regularized incomplete beta function, evaluated with a continued
fraction (the modified Lentz method) and ``math.lgamma``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

SIGNIFICANT = 0.05
VERY_SIGNIFICANT = 0.01

# The continued fraction stops when a step changes the result by less than this.
_PRECISION = 1e-15
# Stands in for zero in the Lentz method, where a zero would be divided by.
_TINY = 1e-300
# Far more steps than any realistic degrees of freedom need (a few hundred at a million).
_MAX_STEPS = 100_000


@dataclass(frozen=True)
class Comparison:
    """The answers before and after a training, compared with Welch's t-test.

    ``t`` is positive when the mean after the training is higher. ``t``, ``df`` and ``p`` are
    None when the test cannot be run (fewer than two answers on a side, or no spread at all).
    """

    n_before: int
    n_after: int
    mean_before: float | None
    mean_after: float | None
    t: float | None
    df: float | None
    p: float | None

    @property
    def difference(self) -> float | None:
        """Mean after minus mean before; None if either side has no answers."""
        if self.mean_before is None or self.mean_after is None:
            return None
        return self.mean_after - self.mean_before

    @property
    def too_few(self) -> bool:
        """Whether a side has fewer than two answers, too few for the test."""
        return self.n_before < 2 or self.n_after < 2

    @property
    def mark(self) -> str:
        """``**``, ``*`` or nothing, by the p-value (see ``mark``)."""
        return mark(self.p)


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, as a float; None for no values."""
    if not values:
        return None
    return math.fsum(values) / len(values)


def variance(values: Sequence[float]) -> float | None:
    """The sample variance (divided by n - 1); None for fewer than two values."""
    if len(values) < 2:
        return None
    if min(values) == max(values):
        # Exactly zero, even where rounding would leave the mean a hair off the values.
        return 0.0
    centre = math.fsum(values) / len(values)
    return math.fsum((value - centre) ** 2 for value in values) / (len(values) - 1)


def t_sf(t: float, df: float) -> float:
    """P(T > t) for Student's t distribution with ``df`` degrees of freedom (any df > 0)."""
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive, not {df}")
    if t < 0:
        return 1.0 - t_sf(-t, df)
    # For t >= 0: P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2).
    x = df / (df + t * t)
    return 0.5 * _regularized_beta(x, df / 2, 0.5)


def compare(before: Sequence[float], after: Sequence[float]) -> Comparison:
    """Compare answers before and after with Welch's t-test (two-sided p-value)."""
    n_before, n_after = len(before), len(after)
    mean_before, mean_after = mean(before), mean(after)
    untested = Comparison(n_before, n_after, mean_before, mean_after, t=None, df=None, p=None)
    if untested.too_few:
        return untested

    # The squared standard error of each mean.
    error_before = variance(before) / n_before
    error_after = variance(after) / n_after
    difference = mean_after - mean_before
    if error_before == 0 and error_after == 0:
        if difference == 0:
            # Everyone gave the same answer before and after: no sign of any change.
            return Comparison(n_before, n_after, mean_before, mean_after, t=0.0, df=None, p=1.0)
        # A difference with no spread at all: the test has nothing to weigh it against.
        return untested

    t = difference / math.sqrt(error_before + error_after)
    df = _welch_satterthwaite(error_before, n_before, error_after, n_after)
    p = _clamp(2.0 * t_sf(abs(t), df))
    return Comparison(n_before, n_after, mean_before, mean_after, t=t, df=df, p=p)


def mark(p: float | None) -> str:
    """``**`` if p < 0.01, ``*`` if p < 0.05, otherwise (or without a p-value) nothing."""
    if p is None:
        return ""
    if p < VERY_SIGNIFICANT:
        return "**"
    if p < SIGNIFICANT:
        return "*"
    return ""


def _welch_satterthwaite(error_1: float, n_1: int, error_2: float, n_2: int) -> float:
    """The approximate degrees of freedom of Welch's t, from each squared standard error."""
    return (error_1 + error_2) ** 2 / (error_1**2 / (n_1 - 1) + error_2**2 / (n_2 - 1))


def _clamp(p: float) -> float:
    """Keep a probability within [0, 1] despite rounding."""
    return min(1.0, max(0.0, p))


def _regularized_beta(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b), for 0 <= x <= 1 and a, b > 0."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    # The continued fraction converges quickly only for x below (a + 1) / (a + b + 2);
    # above it, use the symmetry I_x(a, b) = 1 - I_(1-x)(b, a).
    if x > (a + 1) / (a + b + 2):
        return 1.0 - _regularized_beta(1.0 - x, b, a)
    return _beta_front(x, a, b) / _beta_fraction(x, a, b)


def _beta_front(x: float, a: float, b: float) -> float:
    """x^a (1 - x)^b / (a B(a, b)), worked out through logarithms to avoid overflow."""
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    return math.exp(a * math.log(x) + b * math.log1p(-x) - log_beta) / a


def _beta_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction 1 + d1/(1 + d2/(1 + ...)) for I_x(a, b), by modified Lentz.

    I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) / (1 + d1/(1 + d2/(1 + ...))), where
    d(2m+1) = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) and
    d(2m) = m (b - m) x / ((a + 2m - 1)(a + 2m)).
    """
    value, c, d = 1.0, 1.0, 0.0
    for step in range(1, _MAX_STEPS + 1):
        term = _beta_term(step, x, a, b)
        d = _not_zero(1.0 + term * d)
        c = _not_zero(1.0 + term / c)
        d = 1.0 / d
        change = c * d
        value *= change
        if abs(change - 1.0) < _PRECISION:
            return value
    raise ArithmeticError(f"the incomplete beta fraction did not converge for x={x}, a={a}, b={b}")


def _beta_term(step: int, x: float, a: float, b: float) -> float:
    """The numerator d(step) of the continued fraction for I_x(a, b)."""
    m = step // 2
    if step % 2 == 1:
        return -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
    return m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))


def _not_zero(value: float) -> float:
    """``value``, or a tiny number in its place if it is (nearly) zero."""
    return _TINY if abs(value) < _TINY else value
