"""``tests.matrix`` continued: who may use the fields pages.

The same table and the same outcome codes as ``tests.matrix``, which merges these in.
"""

from tests.matrix import Route, row

# The intake fields name no survivor: the program director decides how they are asked (the role
# holds ``cases.manage_intake_fields``); anyone else signed in is refused. An empty post is shown
# again with its message (400); a valid one is stored and sent back to the page (302).
DIRECTOR_ONLY = row("403", anonymous="login", director="200")
POST_ONLY = row("405", anonymous="login")

MATRIX: dict[str, Route] = {
    "cases/fields/": Route(lambda o: "/cases/fields/", GET=DIRECTOR_ONLY, POST=POST_ONLY),
    "cases/fields/state/": Route(
        lambda o: "/cases/fields/state/",
        GET=POST_ONLY,
        POST=row("403", anonymous="login", director="302"),
        data=lambda o: {"name": "survivor.phone", "state": "hidden"},
    ),
    # Clearing needs a hidden field; in the matrix's world none is, so even the director's valid-looking
    # post is refused with its message (400): tests/cases/test_intake_fields.py clears one.
    "cases/fields/clear/": Route(
        lambda o: "/cases/fields/clear/",
        GET=POST_ONLY,
        POST=row("403", anonymous="login", director="400"),
        data=lambda o: {"name": "survivor.phone", "reason": "The program no longer keeps phone numbers."},
    ),
}

# The same routes with an empty post: a message beside the field for the director (400).
EXAMPLES: list[tuple[str, Route]] = [
    (
        "cases/fields/state/",
        Route(lambda o: "/cases/fields/state/", GET=POST_ONLY, POST={**DIRECTOR_ONLY, "director": "400"}),
    ),
    (
        "cases/fields/clear/",
        Route(lambda o: "/cases/fields/clear/", GET=POST_ONLY, POST={**DIRECTOR_ONLY, "director": "400"}),
    ),
]
