"""What each field of the directory's records is, for the privacy registry (``bloom.privacy``)."""

from bloom import privacy
from bloom.directory.models import Organization, Town

privacy.register(
    Town,
    harmless=("name", "state"),
)

privacy.register(
    Organization,
    narrative=("notes",),
    harmless=(
        "kind", "housing_program", "services",  # choice codes
        # An organization's own name and contact details, as it gives them out.
        "name", "phone", "hotline", "text_line", "address", "website",
    ),
)  # fmt: skip
