"""``tests.matrix`` continued: who may use the dashboards and the service reports.

The same table and the same outcome codes as ``tests.matrix``, which merges these in.
"""

from tests.matrix import Route, row  # noqa: F401 (used by the entries below)

# fmt: off
MATRIX: dict[str, Route] = {
}

# More URLs of routes already declared (in either table), checked the same way.
EXAMPLES: list[tuple[str, Route]] = [
]
# fmt: on
