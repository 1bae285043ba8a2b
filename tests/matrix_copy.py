"""``tests.matrix`` continued: who may use the copy pages.

The same table and the same outcome codes as ``tests.matrix``, which merges these in.
"""

from tests.matrix import CASE_A_GET, CASE_READERS, Route, row


def survivor_copy(**answers) -> dict:
    """A valid post of the survivor's copy's form: in English, without staff notes."""
    return {"language": "en", **answers}


# fmt: off
MATRIX: dict[str, Route] = {
    # The survivor's copy of their record: for whoever sees the case; a valid post queues the PDF (302).
    "cases/<int:pk>/survivor-copy/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/survivor-copy/",
        GET=CASE_A_GET,
        POST=row("404", anonymous="login", **dict.fromkeys(CASE_READERS, "302")),
        data=lambda o: survivor_copy(staff_notes="on"),
    ),
}

# More URLs of routes already declared (in either table), checked the same way.
EXAMPLES: list[tuple[str, Route]] = [
    # The survivor's copy through the report route, with its answers posted.
    (
        "reports/request/<slug:kind>/<int:target_id>/",
        Route(
            lambda o: f"/reports/request/survivor_copy/{o.world.case_a.pk}/",
            GET=row("405", anonymous="login"),
            POST=row("404", anonymous="login", **dict.fromkeys(CASE_READERS, "302")),
            data=lambda o: survivor_copy(),
        ),
    ),
]
# fmt: on
