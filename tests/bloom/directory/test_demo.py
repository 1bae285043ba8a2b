from bloom.directory.demo import DIRECTORY, seed_directory
from bloom.directory.models import Organization


def test_seed_directory_adds_the_hotlines_with_their_numbers(db):
    seed_directory()

    hotline = Organization.objects.get(name="National Human Trafficking Hotline")
    careline = Organization.objects.get(name="DCF Careline")
    assert (hotline.kind, hotline.hotline, hotline.text_line, hotline.open_24_7) == (
        "hotline",
        "1-888-373-7888",
        "233733",
        True,
    )
    assert (careline.kind, careline.hotline, careline.open_24_7) == ("child welfare", "1-800-842-2288", True)


def test_seed_directory_adds_the_referral_directory_as_printed(db):
    seed_directory()

    rows = Organization.objects.filter(
        name__in=[
            "Connecticut Legal Services, Inc.",
            "EAC Network",
            "EAC/Child Advocacy Center",
            "Kids in Crisis",
            "Love146",
            "My Sister's Place",
        ]
    ).values_list("name", "hotline", "phone", "open_24_7")
    assert sorted(rows) == [
        ("Connecticut Legal Services, Inc.", "(203) 388-1720", "(203) 388-1708", False),
        ("EAC Network", "(631) 553-5656", "(631) 439-0480", False),
        ("EAC/Child Advocacy Center", "+1 (631) 533-5656", "+1 (631) 439-0480", True),
        ("Kids in Crisis", "(203) 661-1911", "(203) 661-1911", False),
        ("Love146", "", "(203) 772-4420", False),
        ("My Sister's Place", "(800) 298-7233", "(914) 683-1333", True),
    ]


def test_seed_directory_keeps_the_local_partners_the_demo_names(db):
    seed_directory()

    local = Organization.objects.filter(town__name="Hartford").values_list("name", "kind")
    assert sorted(local) == [
        ("Capitol City Housing Authority", "housing"),
        ("Capitol Region Mental Health Center", "health"),
        ("Greater Hartford Legal Aid", "legal"),
        ("Harbor House Emergency Shelter", "housing"),
        ("Hartford Police Department", "law enforcement"),
    ]


def test_seed_directory_marks_the_housing_programs(db):
    seed_directory()

    programs = Organization.objects.exclude(housing_program="").values_list("name", "housing_program")
    assert sorted(programs) == [
        ("Harbor House Emergency Shelter", "emergency"),
        ("New Leaf Transitional Living", "transitional"),
    ]


def test_every_seeded_organization_is_listed_and_valid(db):
    assert seed_directory() == len(DIRECTORY)

    for organization in Organization.objects.all():
        organization.full_clean()
    assert Organization.objects.filter(is_active=True).count() == len(DIRECTORY)


def test_seed_directory_twice_changes_nothing(db):
    seed_directory()
    before = list(Organization.objects.order_by("pk").values())
    history = Organization.history.count()

    assert seed_directory() == 0

    assert list(Organization.objects.order_by("pk").values()) == before
    assert Organization.history.count() == history


def test_seed_directory_completes_an_organization_the_demo_made_before(db):
    # What the demo's first seeding wrote for the hotline, before the directory had its fields.
    old = Organization.objects.create(
        name="National Human Trafficking Hotline", kind="hotline", phone="1-888-373-7888", open_24_7=True
    )

    seed_directory()

    old.refresh_from_db()
    assert Organization.objects.filter(name="National Human Trafficking Hotline").count() == 1
    assert (old.hotline, old.text_line) == ("1-888-373-7888", "233733")
    assert old.history.latest().history_change_reason == "directory.demo"
