"""Made-up people for the demo and for scale tests. Nothing here is a real person."""

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bloom import demo as program_demo
from bloom.accounts.models import Role, Team, User
from bloom.accounts.services import create_team, set_team_members, set_team_supervisors
from bloom.audit.models import AccessLogEntry
from bloom.directory.demo import seed_directory
from bloom.directory.models import Organization, ServiceType, Town
from bloom.said import Said
from bloom.vocabulary import ControlMethod, VenueType
from cases import amp, catalogue, permissions, services
from cases.models import (
    Case,
    CaseAssignment,
    Closure,
    ClosureReason,
    Contact,
    Gender,
    HHSCertification,
    ImmigrationRelief,
    InformationKind,
    LivingSituation,
    MandatedReport,
    NotEnrolledReason,
    Race,
    RecruitmentMethod,
    Referral,
    ReferralSource,
    Residence,
    RiskKind,
    RiskSource,
    Service,
    StageOfChange,
    Survivor,
    digits_of,
    new_client_code,
)

# Other apps add their part of a demo case (a case plan, say) with ``register_demo``; each
# step is called once per enrolled demo case, with that case's own random generator.
DEMO_STEPS: list[Callable[[random.Random, Case, User, date], None]] = []


def register_demo(step: Callable[[random.Random, Case, User, date], None]) -> None:
    """Add ``step(rng, case, specialist, until)`` to what the demo does for each enrolled case."""
    if step not in DEMO_STEPS:
        DEMO_STEPS.append(step)


DEMO_PASSWORD = "bloom-demo-2026"  # noqa: S105 (printed for the demo; refused in production)
DEMO_DOMAIN = "bloom.demo"

SERVICE_TOWNS = ["Hartford", "East Hartford", "West Hartford", "Wethersfield", "Newington", "Bloomfield", "Windsor"]
OTHER_TOWNS = ["New Britain", "Manchester", "Bristol"]

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
    seed_directory()

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
        specialist = rng.choice(members)
        case = services.open_case(
            by=specialist,
            team=team,
            specialists=[specialist],
            opened_on=today - timedelta(days=rng.randint(0, 540)),
            referral=_referral(rng),
            town=rng.choice(towns),
            **_person(rng, today),
        )
        _screen(rng, case, by=specialist)
        if case.minor_at_intake:
            services.record_mandated_report(
                case,
                by=specialist,
                kind=MandatedReport.Kind.CARELINE,
                made_at=timezone.make_aware(datetime.combine(case.opened_on, time(11))),
                made_by=specialist.full_name,
                reference=f"CL-{case.opened_on:%y%m%d}-{rng.randint(100, 999)}",
                notes="",
            )
        chance = rng.random()
        if chance < 0.25 and (today - case.opened_on).days > 60:
            closure = _ask_to_close(rng, case, by=specialist, today=today)
            if chance < 0.2:  # most are approved; the rest wait in a supervisor's queue
                approver = team.supervisors.order_by("email").first() or director
                services.approve_closure(closure, by=approver, note="")
            _casework(rng, case, by=specialist, until=closure.closed_on)
        else:
            _casework(rng, case, by=specialist, until=today)
            if rng.random() < 0.7:
                _safety_plan(rng, case, by=specialist, today=today)
        for step in DEMO_STEPS:
            step(rng, case, specialist, case.closed_on or today)
    _seed_reenrollment(director)
    _seed_intakes(rng, teams, towns, today)
    program_demo.run_program_steps(rng, today)
    return True


DEMO_NOTES = [
    "Talked through the week's budget; rent is covered until the 1st.",
    "Checked in after the court date. Feeling steadier; wants to talk about work next time.",
    "Went over the safety plan together; the code word is unchanged.",
    "Accompanied to the clinic. Next appointment in two weeks.",
    "Short call: doing well, asked about English classes.",
    "",
]


DEMO_SAFE_PEOPLE = [("Marisol", "Cousin"), ("Pastor Ruth", "Her pastor"), ("Dana", "Friend from work")]


def _safety_plan(rng: random.Random, case: Case, *, by: User, today: date) -> None:
    """A first safety plan: a risk from each list, a safe person and place, a review in one to three months."""
    name, relationship = rng.choice(DEMO_SAFE_PEOPLE)
    services.save_safety_plan(
        case,
        by=by,
        risks=[
            {
                "source": RiskSource.TRAFFICKER,
                "kind": RiskKind.THREATS_TO_FAMILY,
                "methods": [ControlMethod.THREATS],
                "description": "He says he knows where my mother lives.",
                "strategies": f"Text the code word to {name}; call 911 if he comes to the house.",
            },
            {
                "source": RiskSource.LIFE,
                "kind": RiskKind.HOUSING,
                "methods": [],
                "description": "The shelter stay ends soon.",
                "strategies": "Apply for transitional housing this week; the specialist calls the provider.",
            },
        ],
        people=[{"name": name, "relationship": relationship, "phone": f"860-555-0{rng.randint(100, 199)}"}],
        places=[{"place": "Public library, Main Street", "note": "Open every day until 8 pm."}],
        code_word=rng.choice(["blue umbrella", "sunflower", "Aunt Rosa"]),
        emergency_numbers=services.default_numbers(case),
        documents_kept="Copies with the program, originals with her attorney.",
        review_on=today + timedelta(days=rng.randint(20, 90)),
        staff_note="Made up for the demo.",
    )


# What specialists tick most on a contact, by service key (cases/catalogue.py).
DEMO_SERVICES = ("case-management", "transportation", "individual-advocacy", "individual-counseling",
                 catalogue.BASIC_NECESSITIES, "immigration-assistance")  # fmt: skip


def _services_given(case: Case, offset: int) -> list[Service]:
    """One or two usual services for a contact, drawn apart from the demo's main random sequence
    so that everything else the demo makes stays as it was."""
    draw = random.Random(case.opened_on.toordinal() * 1000 + offset)  # noqa: S311 (made-up demo data)
    keys = draw.sample(DEMO_SERVICES, k=draw.randint(1, 2))
    return list(Service.objects.filter(key__in=keys))


def _casework(rng: random.Random, case: Case, *, by: User, until: date) -> None:
    """Contacts with the services given, a stage of change, and for some a release and the
    referral it allows."""
    days = max((until - case.opened_on).days, 0)
    for offset in sorted(rng.sample(range(days + 1), k=min(days + 1, rng.randint(1, 6)))):
        when = timezone.make_aware(datetime.combine(case.opened_on + timedelta(days=offset), time(rng.randint(9, 17))))
        if when > timezone.now():
            continue
        attempt = rng.random() < 0.15
        services.log_contact(
            case,
            by=by,
            kind=Contact.Kind.ATTEMPT if attempt else rng.choice(Contact.REACHED),
            occurred_at=when,
            initiated_by=rng.choice(Contact.Initiator.values),
            duration_minutes=None if attempt else rng.choice([10, 20, 30, 45, 60]),
            topics=[] if attempt else rng.sample(Contact.Topic.values, k=rng.randint(1, 3)),
            note="" if attempt else rng.choice(DEMO_NOTES),
            services=[] if attempt else _services_given(case, offset),
        )
    services.record_stage(
        case,
        by=by,
        stage=rng.choice(StageOfChange.values),
        observed_on=case.opened_on + timedelta(days=days // 2),
        note="",
    )
    # Chosen in Python: SQLite (the demo's default) has no JSON containment lookup.
    legal_aid = next(
        (org for org in Organization.objects.order_by("pk") if ServiceType.IMMIGRATION_LEGAL_AID in org.services), None
    )
    if legal_aid is None or rng.random() > 0.4:
        return
    signed_on = case.opened_on + timedelta(days=min(days, 7))
    services.record_release(
        case,
        by=by,
        organization=legal_aid,
        recipient="",
        information=[InformationKind.IDENTIFYING, InformationKind.IMMIGRATION],
        purpose="Help with an immigration application.",
        signed_on=signed_on,
        expires_on=services.latest_expiry(signed_on),
    )
    services.make_referral(
        case,
        by=by,
        direction=Referral.Direction.OUT,
        organization=legal_aid,
        service_type=ServiceType.IMMIGRATION_LEGAL_AID,
        made_on=signed_on,
        note="",
        share_identifying=True,
    )


def _ask_to_close(rng: random.Random, case: Case, *, by: User, today: date) -> Closure:
    """A closure request as a specialist might make it, with what funders ask at closure."""
    reason = rng.choices(
        [ClosureReason.GOALS_MET, ClosureReason.MOVED, ClosureReason.LOST_CONTACT, ClosureReason.DECLINED],
        weights=[5, 2, 2, 1],
    )[0]
    continued = rng.random() < 0.5
    return services.request_closure(
        case,
        by=by,
        reason=reason,
        closed_on=min(today, case.opened_on + timedelta(days=rng.randint(30, 300))),
        living_situation=rng.choice(LivingSituation.values),
        immigration_relief=rng.choice(ImmigrationRelief.values),
        hhs_certification=rng.choice(HHSCertification.values),
        continued_care=continued,
        continued_care_organization=Organization.objects.order_by("pk").first() if continued else None,
        note="Met with the survivor to review the plan; closing was agreed together.",
    )


def _seed_reenrollment(director: User) -> None:
    """One survivor who came back after their case closed: a new enrollment linked to the old one."""
    closed = Case.objects.filter(status=Case.Status.CLOSED).select_related("team").order_by("closed_on", "pk").first()
    if closed is None:
        return
    specialists = list(closed.specialists.all())
    services.reenroll(
        closed,
        by=director,
        on=timezone.localdate(),
        team=closed.team,
        specialists=specialists,
        note="Came back after a move fell through.",
    )


def _referral(rng: random.Random) -> dict:
    return {"referral_source": rng.choice(ReferralSource.values)}


def _first_exploited_at(case: Case) -> int | None:
    """Some years before intake, or not known for about one in six; drawn apart from the demo's
    main random sequence so that everything else it makes stays as it was."""
    draw = random.Random(case.opened_on.toordinal() * 7 + 3)  # noqa: S311 (made-up demo data)
    age = case.age_at_intake
    if age is None or draw.random() < 1 / 6:
        return None
    return max(9, age - draw.randint(0, 8))


def _screen(rng: random.Random, case: Case, *, by: User) -> None:
    """A screening as a specialist might record it: most sex, some labor, a few uncertain."""
    kind = rng.choices(["sex", "labor", "both", "uncertain"], weights=[6, 3, 1, 1])[0]
    purposes = {"sex": [amp.Purpose.COMMERCIAL_SEX], "labor": [amp.Purpose.LABOR],
                "both": list(amp.Purpose), "uncertain": [amp.Purpose.LABOR]}[kind]  # fmt: skip
    answers = {
        "actions": rng.sample([amp.Action.RECRUITS, amp.Action.HARBORS, amp.Action.TRANSPORTS], k=2),
        "means": [] if kind == "uncertain" else rng.sample(list(amp.Means), k=2),
        "purposes": purposes,
        "unsure": [amp.Element.MEANS] if kind == "uncertain" else [],
    }
    venues = [VenueType.HOTEL, VenueType.INTERNET, VenueType.STREET] if kind != "labor" else [VenueType.RESTAURANT]
    context = {
        "screened_on": case.opened_on,
        "venue_types": rng.sample(venues, k=1),
        "control_methods": rng.sample(list(ControlMethod), k=3),
        "recruitment_method": rng.choice(RecruitmentMethod.values),
        "residence": rng.choice(Residence.values),
        "location": "Hartford, CT",
        "trafficker_in_contact": rng.choice([True, False, None]),
        "age_at_first_exploitation": _first_exploited_at(case),
    }
    services.record_screening(case, by=by, answers=answers, context=context, sensitive_allowed=True)


def _seed_intakes(rng: random.Random, teams: list[Team], towns: list[Town], today: date) -> None:
    """Intakes in every state the demo should show: drafts, a minor, a person not enrolled."""
    team = teams[0]
    specialist = team.members.order_by("email").first()
    hotline = Organization.objects.filter(kind=Organization.Kind.HOTLINE).first()
    draft = services.start_intake(
        by=specialist,
        team=team,
        specialists=[specialist],
        details={"legal_name": "Yesenia Cruz", "estimated_age": 24, "town": towns[0], "preferred_language": "Spanish"},
        referral={"referral_source": ReferralSource.HOTLINE, "referred_on": today, "referring_organization": hotline},
    )
    minor = services.start_intake(
        by=specialist,
        team=team,
        specialists=[specialist],
        details={
            "legal_name": "Brianna Fields",
            "date_of_birth": today - timedelta(days=16 * 365 + 40),
            "town": towns[1],
        },
        referral={"referral_source": ReferralSource.DCF, "referred_on": today - timedelta(days=1)},
        opened_on=today,
    )
    _screen(rng, minor, by=specialist)
    _screen(rng, draft, by=specialist)
    other_town = Town.objects.filter(in_service_area=False).first()
    away = services.start_intake(
        by=specialist,
        team=team,
        specialists=[specialist],
        details={"legal_name": "Omar Haddad", "estimated_age": 31, "town": other_town},
        referral={"referral_source": ReferralSource.AGENCY, "referred_on": today - timedelta(days=10)},
        opened_on=today - timedelta(days=9),
    )
    services.record_not_enrolled(
        away, by=specialist, reason=NotEnrolledReason.REFERRED, note="Referred to a program near home.", on=today
    )


def _groups(role):
    return [Group.objects.get(name=role)]


def _person(rng: random.Random, today: date) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    known_birthday = rng.random() < 0.75
    age = rng.randint(16, 58)
    return {
        "legal_name": f"{first} {last}",
        "preferred_name": rng.choice(["", "", "", first[:3]]),
        "aliases": rng.choice(["", "", "", f"{rng.choice(FIRST_NAMES)} {last}"]),
        "gender": rng.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.TRANS_WOMAN, Gender.NON_BINARY]),
        "race": rng.sample([Race.BLACK, Race.HISPANIC, Race.WHITE, Race.ASIAN, Race.MENA], k=rng.choice([1, 1, 2])),
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
                person = Survivor(client_code=code, town=rng.choice(towns), created_by=director, **_person(rng, today))
                person.phone = f"(860) 555-{rng.randint(0, 9999):04d}"
                person.phone_digits = digits_of(person.phone)
                person.fold_names()  # bulk_create does not call save, which keeps them
                people.append(person)
            people = bulk_create_with_history(
                people,
                Survivor,
                batch_size=1000,
                default_user=director,
                default_change_reason=str(Said("demo.scale_data")),
            )
            people = list(Survivor.objects.filter(client_code__in=[p.client_code for p in people]))
            cases = []
            for person in people:
                team = rng.choice(teams)
                opened_on = today - timedelta(days=rng.randint(0, 1500))
                case = Case(
                    survivor=person,
                    team=team,
                    created_by=director,
                    status=Case.Status.OPEN,
                    opened_on=opened_on,
                    decided_on=opened_on,
                    referral_source=rng.choice(ReferralSource.values),
                )
                case.minor_at_intake = case.computed_minor_at_intake()
                cases.append(case)
            bulk_create_with_history(
                cases, Case, batch_size=1000, default_user=director, default_change_reason=str(Said("demo.scale_data"))
            )
            cases = list(Case.objects.filter(survivor__in=people).select_related("team"))
            assignments = []
            members = {t.pk: list(t.members.all()) for t in teams}
            for case in cases:
                case.bulk_specialists = [rng.choice(members[case.team_id])] if members[case.team_id] else []
                assignments += [CaseAssignment(case=case, specialist=s) for s in case.bulk_specialists]
            bulk_create_with_history(
                assignments,
                CaseAssignment,
                batch_size=1000,
                default_user=director,
                default_change_reason=str(Said("demo.scale_data")),
            )
            permissions.grant_in_bulk(cases)
            bulk_create_with_history(
                list(_scale_contacts(rng, cases, director, today)),
                Contact,
                batch_size=2000,
                default_user=director,
                default_change_reason=str(Said("demo.scale_data")),
            )
            # The bulk insert skips the services that keep the last contact and the due date.
            services.store_last_contacts(Case.objects.filter(pk__in=[case.pk for case in cases]))
        created += size
    return created


# A busy case's contacts over its life, so lists and reminders read a realistic table.
SCALE_CONTACTS_PER_CASE = (0, 20)


def _scale_contacts(rng: random.Random, cases: list[Case], director: User, today: date):
    for case in cases:
        by = case.bulk_specialists[0] if case.bulk_specialists else director
        span = (today - case.opened_on).days
        for _ in range(rng.randint(*SCALE_CONTACTS_PER_CASE)):
            day = case.opened_on + timedelta(days=rng.randint(0, span))
            yield Contact(
                case=case,
                kind=rng.choice(Contact.Kind.values),
                occurred_at=timezone.make_aware(datetime.combine(day, time(rng.randint(8, 19)))),
                duration_minutes=rng.choice([None, 15, 30, 45]),
                initiated_by=rng.choice(Contact.Initiator.values),
                topics=rng.sample(Contact.Topic.values, k=rng.randint(0, 2)),
                note="Made-up scale data.",
                recorded_by=by,
            )


@dataclass(frozen=True)
class StaffAdded:
    teams: int
    supervisors: int
    specialists: int


@transaction.atomic
def seed_staff(*, specialists: int, teams: int, seed: int = 3) -> StaffAdded:
    """Grow the demo program to ``teams`` teams and ``specialists`` specialists; returns what was added.

    Each new team gets a supervisor of its own; new specialists join the smallest teams, so
    the teams end up even. Teams and their people go through ``bloom.accounts.services``.
    Nothing is removed when the program is already bigger.
    """
    rng = random.Random(seed)  # noqa: S311 (made-up demo data, not secrets)
    director = User.objects.get(email=f"director@{DEMO_DOMAIN}")
    # Argon2 is slow by design: the made-up accounts share one hash of the demo password.
    password = make_password(DEMO_PASSWORD)
    existing = list(Team.objects.order_by("pk"))
    taken = {team.name for team in existing}
    names = (name for name in _team_names() if name not in taken)
    new_teams = [create_team(name=next(names), by=director) for _ in range(teams - len(existing))]
    supervisor_count = User.objects.filter(groups__name=Role.SUPERVISOR).count()
    for number, team in enumerate(new_teams, start=supervisor_count + 1):
        supervisor = _staff_user(rng, Role.SUPERVISOR, f"supervisor{number}", password)
        set_team_supervisors(team, supervisors=[supervisor], by=director)

    all_teams = existing + new_teams
    members = {team.pk: list(team.members.all()) for team in all_teams}
    specialist_count = User.objects.filter(groups__name=Role.SPECIALIST).count()
    for number in range(specialist_count + 1, specialists + 1):
        specialist = _staff_user(rng, Role.SPECIALIST, f"specialist{number}", password)
        members[min(all_teams, key=lambda team: (len(members[team.pk]), team.pk)).pk].append(specialist)
    for team in all_teams:
        if len(members[team.pk]) != team.members.count():
            set_team_members(team, members=members[team.pk], by=director)
    return StaffAdded(
        teams=len(new_teams),
        supervisors=len(new_teams),
        specialists=max(0, specialists - specialist_count),
    )


def _team_names():
    yield from (f"{town} team" for town in SERVICE_TOWNS)
    number = 1
    while True:
        yield f"Team {number}"
        number += 1


def _staff_user(rng: random.Random, role: Role, local: str, password: str) -> User:
    user = User.objects.create(
        email=f"{local}@{DEMO_DOMAIN}",
        full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        password=password,
    )
    user.groups.add(*_groups(role))
    return user


BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ACCESS_LOG_FIELDS = [
    "at", "user", "action", "target_type", "target_id", "target_label", "ip_address", "user_agent", "reason",
]  # fmt: skip


def seed_access_log(*, entries: int, seed: int = 5) -> int:
    """Add ``entries`` made-up access-log entries for the existing cases; returns how many.

    Each is a case opened (one in ten: its history viewed) by one of its specialists, or
    now and then a supervisor of its team, in working hours between the case's opening and
    today. PostgreSQL only: the rows go in with COPY, since the ORM stamps ``at`` with the
    time of the insert and the log is append-only, so a past date cannot be set otherwise.
    """
    if connection.vendor != "postgresql":
        raise RuntimeError("Access-log scale data needs PostgreSQL: it is loaded with COPY.")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(AccessLogEntry._meta.get_field(name).column) for name in ACCESS_LOG_FIELDS)
    statement = f"COPY {quote(AccessLogEntry._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv)"
    rows = _access_rows(random.Random(seed), entries)  # noqa: S311 (made-up demo data, not secrets)
    written = 0
    while written < entries:
        size = min(50_000, entries - written)
        buffer = io.StringIO()
        # Every string quoted: in CSV, PostgreSQL reads an unquoted empty value as NULL.
        csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC).writerows(next(rows) for _ in range(size))
        buffer.seek(0)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.copy_expert(statement, buffer)
        written += size
    return written


def _access_rows(rng: random.Random, entries: int):
    """Rows in ``ACCESS_LOG_FIELDS`` order, for ``seed_access_log``."""
    cases = list(Case.objects.values_list("pk", "opened_on", "survivor__client_code", "team_id"))
    specialists: dict[int, list[int]] = {}
    for case_id, user_id in CaseAssignment.objects.values_list("case_id", "specialist_id"):
        specialists.setdefault(case_id, []).append(user_id)
    supervisors: dict[int, list[int]] = {}
    for team_id, user_id in Team.supervisors.through.objects.values_list("team_id", "user_id"):
        supervisors.setdefault(team_id, []).append(user_id)
    fallback = [User.objects.get(email=f"director@{DEMO_DOMAIN}").pk]
    case_type = ContentType.objects.get_for_model(Case).pk
    zone, now = timezone.get_current_timezone(), timezone.now()
    today = timezone.localdate()
    for _ in range(entries):
        case_id, opened_on, code, team_id = rng.choice(cases)
        viewers = specialists.get(case_id) or supervisors.get(team_id) or fallback
        if team_id in supervisors and rng.random() < 0.15:
            viewers = supervisors[team_id]
        user_id = rng.choice(viewers)
        day = opened_on + timedelta(days=int(rng.random() * ((today - opened_on).days + 1)))
        at = datetime.combine(day, time(8), tzinfo=zone) + timedelta(seconds=int(rng.random() * 10 * 3600))
        action = AccessLogEntry.Action.VIEW_HISTORY if rng.random() < 0.1 else AccessLogEntry.Action.VIEW
        address = f"10.20.{user_id // 250}.{user_id % 250 + 1}"
        yield [min(at, now).isoformat(), user_id, action.value, case_type, case_id, code, address, BROWSER, ""]
