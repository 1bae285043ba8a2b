"""What each field of the accounts app's records is, for the privacy registry (``bloom.privacy``)."""

from bloom import privacy
from bloom.accounts.models import Team, User

privacy.register(
    User,
    identifying=("email", "full_name"),
    harmless=(
        "password",  # a salted hash, only ever compared
        "language",  # a language code
    ),
)

privacy.register(
    Team,
    harmless=("name",),
)
