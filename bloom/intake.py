"""How a program module passes a person's request for help to intake without importing ``cases``.

Outreach meets people who may ask for help on the spot. What they agree to share is handed
to the intake queue of a team as a ``RequestForHelp``; ``cases`` registers the one receiver
when it starts (``cases.apps``), stores the request beside the survivor records, and reads
it only through ``cases.permissions``. The module that passes a request keeps nothing of it:
once passed, it is survivor data, and the people who passed it cannot read it back.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bloom.accounts.models import Team, User


@dataclass(frozen=True)
class RequestForHelp:
    """Only what the person agreed to share; every field but the name may stay empty."""

    team: Team
    met_on: date
    where: str  # how intake should know the source, e.g. "Street outreach, Hartford"
    name: str  # what they want to be called
    age: int | None = None
    language: str = ""
    phone: str = ""
    safe_to_call: bool | None = None
    safe_to_text: bool | None = None
    safe_to_leave_message: bool | None = None
    how_to_reach: str = ""
    needs: list[str] = field(default_factory=list)
    in_their_words: str = ""
    agreed: bool = False  # the person agreed that intake may have this and reach out


# The one receiver, set when ``cases`` starts.
_receivers: list[Callable[..., object]] = []


def receive_with(receiver: Callable[..., object]) -> None:
    """Set the function that stores a request (``cases`` calls this once, when it starts)."""
    _receivers[:] = [receiver]


def pass_on(request: RequestForHelp, *, by: User) -> None:
    """Give ``request`` to its team's intake queue; raises ``ValidationError`` (keyed by field) if refused."""
    if not _receivers:
        raise RuntimeError("No intake queue is installed (the cases app is not in INSTALLED_APPS).")
    _receivers[0](request, by=by)
