"""What each field of the assistance app's records is, for the privacy registry (``bloom.privacy``)."""

from assistance.models import AssistanceRequest, Fund, FundBudget, HousingPlacement, InKindItem, Payment
from bloom import privacy

privacy.register(
    Fund,
    narrative=("note",),
    harmless=("name", "funder", "award_number"),  # the award's own, as the funder's report prints them
)

privacy.register(
    FundBudget,
    harmless=("category",),
)

privacy.register(
    AssistanceRequest,
    case="case",
    # A payee is often a person (a landlord), and their details are an address or an account.
    identifying=("payee_name", "payee_details"),
    narrative=("purpose", "close_reason"),
    harmless=("category", "payee_kind", "status"),
)

privacy.register(
    Payment,
    case="request__case",
    harmless=(
        "method",
        "reference",  # a check, card transaction or voucher number: finance's bookkeeping
    ),
)

privacy.register(
    InKindItem,
    case="case",
    narrative=("description",),
    harmless=("kind",),
)

privacy.register(
    HousingPlacement,
    case="case",
    # A provider not in the directory may be a private landlord, and it says where the survivor lives.
    identifying=("provider_name",),
    narrative=("note",),
    harmless=("kind", "long_term", "exit_destination"),
)
