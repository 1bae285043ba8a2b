"""``tests.matrix`` continued: who may use the fields pages.

The same table and the same outcome codes as ``tests.matrix``, which merges these in.
"""

from tests.matrix import Route

MATRIX: dict[str, Route] = {}
EXAMPLES: list[tuple[str, Route]] = []
