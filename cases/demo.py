"""Made-up people for the demo and for scale tests. Nothing here is a real person."""

import random
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bloom.accounts.models import Role, Team, User
from bloom.accounts.services import create_team, set_team_members, set_team_supervisors
from bloom.directory.models import Organization, Town
from cases import permissions, services
from cases.models import Case, CaseAssignment, Survivor, new_client_code

DEMO_PASSWORD = "bloom-demo-2026"  # noqa: S105 (printed for the demo; refused in production)
DEMO_DOMAIN = "bloom.demo"

SERVICE_TOWNS = ["Hartford", "East Hartford", "West Hartford", "Wethersfield", "Newington", "Bloomfield", "Windsor"]
OTHER_TOWNS = ["New Britain", "Manchester", "Bristol"]

PARTNERS = [
    ("National Human Trafficking Hotline", Organization.Kind.HOTLINE, "1-888-373-7888", True),
    ("DCF Careline", Organization.Kind.CHILD_WELFARE, "1-800-842-2288", True),
    ("Hartford Police Department", Organization.Kind.LAW_ENFORCEMENT, "", False),
    ("Greater Hartford Legal Aid", Organization.Kind.LEGAL, "", False),
    ("Capitol Region Mental Health Center", Organization.Kind.HEALTH, "", False),
]

# (role, email local part, full name, team index or None, supervises)
STAFF = [
    (Role.SPECIALIST, "specialist", "Maria Alvarez", 0, False),
    (Role.SPECIALIST, "specialist2", "Jordan Reyes", 0, False),
    (Role.SPECIALIST, "specialist3", "Aisha Bello", 1, False),
    (Role.SPECIALIST, "specialist4", "Tom Nguyen", 1, False),
    (Role.SUPERVISOR, "supervisor", "Grace Whitfield", 0, True),
    (Role.SUPERVISOR, "supervisor2", "Daniel Osei", 1, True),
    (Role.PROGRAM_DIRECTOR, "director", "Helen Marsh", None, False),
    (Role.FINANCE, "finance", "Victor Chen", None, False),
    (Role.OUTREACH_WORKER, "outreach", "Rosa Delgado", None, False),
    (Role.VOLUNTEER, "volunteer", "Sam Porter", None, False),
    (Role.TRAINER, "trainer", "Priya Raman", None, False),
    (Role.ADMINISTRATOR, "admin", "Alex Morgan", None, False),
]
TEAMS = ["Hartford team", "Suburbs team"]

FIRST_NAMES = [
    "Ana",
    "Luis",
    "Keisha",
    "Marcus",
    "Sofia",
    "Dmitri",
    "Grace",
    "Jamal",
    "Lucia",
    "Andre",
    "Mei",
    "Carlos",
    "Fatima",
    "Tyrone",
    "Elena",
    "Kwame",
    "Rosa",
    "Ivan",
    "Nadia",
    "Darnell",
    "Yesenia",
    "Omar",
    "Brianna",
    "Tomas",
]
LAST_NAMES = [
    "Santos",
    "Johnson",
    "Rivera",
    "Williams",
    "Nguyen",
    "Petrov",
    "Mensah",
    "Garcia",
    "Brown",
    "Ortiz",
    "Lee",
    "Diaz",
    "Hassan",
    "Clarke",
    "Morales",
    "Boateng",
    "Cruz",
    "Kowalski",
    "Haddad",
    "Fields",
    "Ramos",
    "Ali",
]


def demo_logins() -> list[tuple[str, str, str]]:
    """(role label, email, password) for the first user of each role."""
    seen, logins = set(), []
    for role, local, _name, _team, _sup in STAFF:
        if role not in seen:
            seen.add(role)
            logins.append((str(role.label), f"{local}@{DEMO_DOMAIN}", DEMO_PASSWORD))
    return logins


@transaction.atomic
def seed_program(*, survivors: int = 40, seed: int = 2017) -> bool:
    """Create the demo program once; returns False if it was already there."""
    if User.objects.filter(email=f"director@{DEMO_DOMAIN}").exists():
        return False
    rng = random.Random(seed)  # noqa: S311 (made-up demo data, not secrets)
    for name in SERVICE_TOWNS:
        Town.objects.get_or_create(name=name, defaults={"in_service_area": True})
    for name in OTHER_TOWNS:
        Town.objects.get_or_create(name=name, defaults={"in_service_area": False})
    for name, kind, phone, always_open in PARTNERS:
        Organization.objects.get_or_create(name=name, defaults={"kind": kind, "phone": phone, "open_24_7": always_open})

    users = {}
    for role, local, full_name, _team, _sup in STAFF:
        user = User.objects.create_user(
            email=f"{local}@{DEMO_DOMAIN}",
            password=DEMO_PASSWORD,
            full_name=full_name,
            is_staff=role == Role.ADMINISTRATOR,
        )
        user.groups.add(*_groups(role))
        users[local] = user
    director = users["director"]
    teams = [create_team(name=name, by=director) for name in TEAMS]
    for index, team in enumerate(teams):
        set_team_supervisors(team, supervisors=[users[s[1]] for s in STAFF if s[3] == index and s[4]], by=director)
        set_team_members(team, members=[users[s[1]] for s in STAFF if s[3] == index and not s[4]], by=director)

    towns = list(Town.objects.filter(in_service_area=True))
    today = timezone.localdate()
    for _ in range(survivors):
        team = rng.choice(teams)
        members = list(team.members.all())
        case = services.open_case(
            by=rng.choice(members),
            team=team,
            specialists=[rng.choice(members)],
            opened_on=today - timedelta(days=rng.randint(0, 540)),
            town=rng.choice(towns),
            **_person(rng, today),
        )
        if rng.random() < 0.2 and (today - case.opened_on).days > 60:
            services.update_case(
                case,
                by=case.specialists.first(),
                status=Case.Status.CLOSED,
                opened_on=case.opened_on,
                closed_on=min(today, case.opened_on + timedelta(days=rng.randint(30, 300))),
            )
    return True


def _groups(role):
    return [Group.objects.get(name=role)]


def _person(rng: random.Random, today: date) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    known_birthday = rng.random() < 0.75
    age = rng.randint(16, 58)
    return {
        "legal_name": f"{first} {last}",
        "preferred_name": rng.choice(["", "", "", first[:3]]),
        "date_of_birth": today - timedelta(days=age * 365 + rng.randint(1, 360)) if known_birthday else None,
        "estimated_age": None if known_birthday else age,
    }


def seed_scale(*, survivors: int, seed: int = 1) -> int:
    """Add ``survivors`` made-up survivors with one case each, in bulk; returns how many.

    History rows are written with ``bulk_create_with_history``; object permissions go
    straight into the direct foreign-key tables through ``permissions.grant_in_bulk``.
    """
    rng = random.Random(seed)  # noqa: S311 (made-up demo data, not secrets)
    director = User.objects.get(email=f"director@{DEMO_DOMAIN}")
    teams = list(Team.objects.prefetch_related("members"))
    towns = list(Town.objects.filter(in_service_area=True))
    today = timezone.localdate()
    codes = set(Survivor.objects.values_list("client_code", flat=True))
    created = 0
    batch = 2000
    while created < survivors:
        size = min(batch, survivors - created)
        with transaction.atomic():
            people = []
            for _ in range(size):
                code = new_client_code()
                while code in codes:
                    code = new_client_code()
                codes.add(code)
                people.append(
                    Survivor(client_code=code, town=rng.choice(towns), created_by=director, **_person(rng, today))
                )
            people = bulk_create_with_history(
                people, Survivor, batch_size=1000, default_user=director, default_change_reason="Scale data"
            )
            people = list(Survivor.objects.filter(client_code__in=[p.client_code for p in people]))
            cases = []
            for person in people:
                team = rng.choice(teams)
                case = Case(
                    survivor=person,
                    team=team,
                    created_by=director,
                    opened_on=today - timedelta(days=rng.randint(0, 1500)),
                )
                cases.append(case)
            bulk_create_with_history(
                cases, Case, batch_size=1000, default_user=director, default_change_reason="Scale data"
            )
            cases = list(Case.objects.filter(survivor__in=people).select_related("team"))
            assignments = []
            members = {t.pk: list(t.members.all()) for t in teams}
            for case in cases:
                case.bulk_specialists = [rng.choice(members[case.team_id])] if members[case.team_id] else []
                assignments += [CaseAssignment(case=case, specialist=s) for s in case.bulk_specialists]
            bulk_create_with_history(
                assignments, CaseAssignment, batch_size=1000, default_user=director, default_change_reason="Scale data"
            )
            permissions.grant_in_bulk(cases)
        created += size
    return created
