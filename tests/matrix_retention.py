"""``tests.matrix`` continued: who may use the retention pages.

The same table and the same outcome codes as ``tests.matrix``, which merges these in.

The policy, the preview, the run, the log and the list of deletions are the program director's:
anyone else signed in gets a 403. Holds and deletions name a case (or a request about one) and
are found through ``cases.permissions`` first: out of sight is a 404; in sight but not theirs to
hold or delete, a 403. The hold and the deletion request the routes name are made on first use,
through the services, inside the test's own savepoint.
"""

from retention.models import DeletionRequest, Hold
from retention.services import place_hold, request_deletion
from tests.matrix import CASE_A_GET, CASE_READERS, Route, row
from tests.objects import Objects

DIRECTOR_ONLY = row("403", anonymous="login", director="200")
ONLY_GET = row("405", anonymous="login")
# The closed case of team A the deletions name (``Objects.closed``), assigned to the specialist:
# those who see it but may not delete records get a 403.
DELETION_CASE = row("404", anonymous="login", specialist="403", supervisor="403", director="200")


def active_hold(o: Objects):
    """An active hold on case A, placed by its specialist (made when none is)."""
    hold = Hold.objects.filter(case=o.world.case_a, lifted_at__isnull=True).first()
    return hold or place_hold(o.world.case_a, by=o.world.specialist, reason="Court order 22-114")


def waiting_deletion(o: Objects):
    """A deletion of the closed case's survivor asked for by the director (made when none waits)."""
    case = o.closed.case
    waiting = DeletionRequest.objects.filter(survivor=case.survivor_id, status=DeletionRequest.Status.WAITING)
    return waiting.first() or request_deletion(case, by=o.world.director, why="mistake", reason="Entered twice.")


def policy_post(o: Objects) -> dict:
    return {"narratives_months": 12, "documents_months": 18, "identity_months": 40, "reopen_months": 6,
            "backup_days": 30}  # fmt: skip


# fmt: off
MATRIX: dict[str, Route] = {
    # The policy: shown and saved by the director; a valid post is saved (302).
    "retention/": Route(
        lambda o: "/retention/",
        GET=DIRECTOR_ONLY,
        POST=row("403", anonymous="login", director="302"),
        data=policy_post,
    ),
    "retention/preview/": Route(lambda o: "/retention/preview/", GET=DIRECTOR_ONLY, POST=ONLY_GET),
    # Running the purge: a POST with the box ticked queues it (nothing runs: the on-commit is rolled back).
    "retention/run/": Route(
        lambda o: "/retention/run/",
        GET=ONLY_GET,
        POST=row("403", anonymous="login", director="302"),
        data=lambda o: {"confirm": "on"},
    ),
    "retention/log/": Route(lambda o: "/retention/log/", GET=DIRECTOR_ONLY, POST=ONLY_GET),
    # Holds: for those who decide on the case (its specialist, the team's supervisor, the director).
    "retention/cases/<int:case_pk>/holds/": Route(
        lambda o: f"/retention/cases/{o.world.case_a.pk}/holds/",
        GET=CASE_A_GET,
        POST={**CASE_A_GET, **dict.fromkeys(CASE_READERS, "302")},
        data=lambda o: {"reason": "Court order 22-114"},
    ),
    "retention/holds/<int:pk>/lift/": Route(
        lambda o: f"/retention/holds/{active_hold(o).pk}/lift/",
        GET=CASE_A_GET,
        POST={**CASE_A_GET, **dict.fromkeys(CASE_READERS, "302")},
        data=lambda o: {"note": "The order ended."},
    ),
    # Deleting a survivor's record: the director asks, another authorised person confirms.
    "retention/cases/<int:case_pk>/delete/": Route(
        lambda o: f"/retention/cases/{o.closed.case_id}/delete/",
        GET=DELETION_CASE,
        POST={**DELETION_CASE, "director": "302"},
        data=lambda o: {"why": "mistake", "reason": "Entered twice."},
    ),
    "retention/deletions/": Route(lambda o: "/retention/deletions/", GET=DIRECTOR_ONLY, POST=ONLY_GET),
    # The director asked for it, so confirming is refused with a message (302 back to the list);
    # withdrawing it is theirs (302).
    "retention/deletions/<int:pk>/confirm/": Route(
        lambda o: f"/retention/deletions/{waiting_deletion(o).pk}/confirm/",
        GET=ONLY_GET,
        POST={**DELETION_CASE, "director": "302"},
    ),
    "retention/deletions/<int:pk>/withdraw/": Route(
        lambda o: f"/retention/deletions/{waiting_deletion(o).pk}/withdraw/",
        GET=ONLY_GET,
        POST={**DELETION_CASE, "director": "302"},
    ),
}

EXAMPLES: list[tuple[str, Route]] = [
    # Asking to delete the record of a survivor whose case is open is refused on the page (200).
    (
        "retention/cases/<int:case_pk>/delete/",
        Route(
            lambda o: f"/retention/cases/{o.world.case_a.pk}/delete/",
            GET={**CASE_A_GET, "specialist": "403", "supervisor": "403"},
            POST={**CASE_A_GET, "specialist": "403", "supervisor": "403"},
            data=lambda o: {"why": "mistake", "reason": "Entered twice."},
        ),
    ),
]
# fmt: on
