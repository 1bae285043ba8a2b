"""The demo's directory: the hotlines and partners named in the program's source documents.

Phones, hotlines and 24/7 flags are as printed there (the DCF Careline, the National Human
Trafficking Hotline, and the National Human Trafficking Referral Directory's Connecticut-area
entries), plus the local partners the demo's cases refer to.
"""

from django.db import transaction

from bloom.accounts.models import User
from bloom.directory.models import Organization, ServiceType, Town
from bloom.said import Said

Kind = Organization.Kind

REFERRAL_DIRECTORY_NOTE = "Listed in the National Human Trafficking Referral Directory."

# Every field a seeded row sets; a field an entry leaves out is seeded empty.
BLANK = {
    "kind": Kind.OTHER,
    "services": [],
    "phone": "",
    "hotline": "",
    "text_line": "",
    "open_24_7": False,
    "address": "",
    "website": "",
    "notes": "",
    "housing_program": "",
}

DIRECTORY: list[dict] = [
    {
        "name": "National Human Trafficking Hotline",
        "kind": Kind.HOTLINE,
        "hotline": "1-888-373-7888",
        "text_line": "233733",
        "open_24_7": True,
        "website": "https://humantraffickinghotline.org/",
        "notes": (
            'Call, text "BeFree" (233733) or chat live on the website. Toll free, confidential, '
            "in more than 200 languages. Run by Polaris; refers callers to the organizations "
            "in its referral directory."
        ),
    },
    {
        "name": "DCF Careline",
        "kind": Kind.CHILD_WELFARE,
        "hotline": "1-800-842-2288",
        "open_24_7": True,
        "notes": (
            "Connecticut Department of Children and Families. Suspected domestic minor sex "
            "trafficking (DMST) must be reported here: that includes a 16- or 17-year-old "
            "survivor. DCF's Human Anti-trafficking Response Team (HART) can be consulted."
        ),
    },
    {
        "name": "Connecticut Legal Services, Inc.",
        "kind": Kind.LEGAL,
        "hotline": "(203) 388-1720",
        "phone": "(203) 388-1708",
        "notes": REFERRAL_DIRECTORY_NOTE,
    },
    {
        "name": "EAC Network",
        "kind": Kind.SOCIAL_SERVICE,
        "hotline": "(631) 553-5656",
        "phone": "(631) 439-0480",
        "notes": REFERRAL_DIRECTORY_NOTE,
    },
    {
        "name": "EAC/Child Advocacy Center",
        "kind": Kind.VICTIM_SERVICES,
        "hotline": "+1 (631) 533-5656",
        "phone": "+1 (631) 439-0480",
        "open_24_7": True,
        "notes": REFERRAL_DIRECTORY_NOTE,
    },
    {
        "name": "Kids in Crisis",
        "kind": Kind.SOCIAL_SERVICE,
        "hotline": "(203) 661-1911",
        "phone": "(203) 661-1911",
        "notes": REFERRAL_DIRECTORY_NOTE,
    },
    {
        "name": "Love146",
        "kind": Kind.VICTIM_SERVICES,
        "services": [ServiceType.THERAPY, ServiceType.EDUCATION],
        "phone": "(203) 772-4420",
        "website": "https://love146.org/",
        "notes": (
            "Survivor Care: rapid response and long-term therapeutic case management for "
            "youth survivors. Not a #Number: a five-session prevention curriculum for youth "
            "aged 12 to 18. " + REFERRAL_DIRECTORY_NOTE
        ),
    },
    {
        "name": "My Sister's Place",
        "kind": Kind.VICTIM_SERVICES,
        "hotline": "(800) 298-7233",
        "phone": "(914) 683-1333",
        "open_24_7": True,
        "notes": REFERRAL_DIRECTORY_NOTE,
    },
    # Local partners the demo's cases already name.
    {"name": "Hartford Police Department", "kind": Kind.LAW_ENFORCEMENT, "town": "Hartford"},
    {
        "name": "Greater Hartford Legal Aid",
        "kind": Kind.LEGAL,
        "services": [ServiceType.IMMIGRATION_LEGAL_AID, ServiceType.VACATUR],
        "town": "Hartford",
    },
    {
        "name": "Capitol Region Mental Health Center",
        "kind": Kind.HEALTH,
        "services": [ServiceType.THERAPY],
        "town": "Hartford",
    },
    # Made-up housing partners, for the demo's housing placements.
    {
        "name": "Harbor House Emergency Shelter",
        "kind": Kind.HOUSING,
        "services": [ServiceType.HOUSING],
        "housing_program": Organization.HousingProgram.EMERGENCY,
        "open_24_7": True,
        "town": "Hartford",
    },
    {
        "name": "New Leaf Transitional Living",
        "kind": Kind.HOUSING,
        "services": [ServiceType.HOUSING],
        "housing_program": Organization.HousingProgram.TRANSITIONAL,
        "town": "East Hartford",
    },
    {
        "name": "Capitol City Housing Authority",
        "kind": Kind.HOUSING,
        "services": [ServiceType.HOUSING],
        "town": "Hartford",
    },
]


@transaction.atomic
def seed_directory(*, by: User | None = None) -> int:
    """Create or update the demo's organizations by name; returns how many were created or changed.

    The seeded values win over edits made since; a second run changes nothing and writes no
    history.
    """
    count = 0
    for entry in DIRECTORY:
        values = {**BLANK, **entry}
        name = values.pop("name")
        town = values.pop("town", None)
        values["town"] = Town.objects.get_or_create(name=town)[0] if town else None
        values["services"] = [str(service) for service in values["services"]]
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            organization = Organization(name=name, **values)
        else:
            changed = [field for field, value in values.items() if getattr(organization, field) != value]
            if not changed:
                continue
            for field in changed:
                setattr(organization, field, values[field])
        organization.full_clean()
        organization._history_user = by
        organization._change_reason = str(Said("directory.demo"))
        organization.save()
        count += 1
    return count
