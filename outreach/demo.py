"""The demo's outreach: volunteers at every step of recruitment, a year of street outreach
across the service area, a few sessions planned ahead, two requests for help waiting in
intake, and partnership activities with the directory's organizations. All made up.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from bloom import intake
from bloom.accounts.models import Role, Team, User
from bloom.directory.models import Organization, Town
from bloom.vocabulary import HelpNeed, VenueType
from outreach import services
from outreach.models import PartnershipActivity, Volunteer

# (name, status, languages) — the first signs in as the demo's volunteer login.
VOLUNTEERS = [
    ("Sam Porter", Volunteer.Status.ACTIVE, "English"),
    ("Lina Haddad", Volunteer.Status.ACTIVE, "English, Arabic"),
    ("Marco Silva", Volunteer.Status.ACTIVE, "English, Portuguese, Spanish"),
    ("June Park", Volunteer.Status.ACTIVE, "English, Korean"),
    ("Esther Owusu", Volunteer.Status.TRAINED, "English, Twi"),
    ("Ray Kowalczyk", Volunteer.Status.BACKGROUND_CHECKED, "English, Polish"),
    ("Dee Thompson", Volunteer.Status.APPLIED, "English"),
    ("Hal Becker", Volunteer.Status.INACTIVE, "English, German"),
]
STREET_VENUES = [VenueType.STREET, VenueType.HOTEL, VenueType.MASSAGE, VenueType.RESTAURANT, VenueType.RESIDENCE]
AREAS = [
    "Park Street corridor, between Main and Broad",
    "Motels along the Berlin Turnpike",
    "Bus station and the blocks around it",
    "Franklin Avenue restaurants",
    "Truck stop and the service road",
    "Albany Avenue, north end",
]
NOTES = [
    "Quiet evening; most cards went at the bus shelter.",
    "Good conversations; two people asked for the text line.",
    "",
]
SESSIONS = 48
PLANNED = 3


def demo_outreach(rng: random.Random, today: date) -> None:
    worker = User.objects.filter(groups__name=Role.OUTREACH_WORKER).order_by("email").first()
    if worker is None:
        return
    volunteers = _volunteers(rng, worker, today)
    active = [v for v in volunteers if v.status == Volunteer.Status.ACTIVE]
    towns = list(Town.objects.filter(in_service_area=True).order_by("name"))
    # One session every week or so over the past year, on distinct evenings (nobody double-booked).
    days = sorted(rng.sample(range(3, 360), SESSIONS), reverse=True)
    sessions = []
    for offset in days:
        sessions.append(_session(rng, worker, active, towns, today - timedelta(days=offset), planned=False))
    for offset in (2, 9, 16)[:PLANNED]:
        _session(rng, worker, active, towns, today + timedelta(days=offset), planned=True)
    _requests(worker, sessions[-3:])
    _partnerships(rng, worker, today)


def _volunteers(rng: random.Random, worker: User, today: date) -> list[Volunteer]:
    login = User.objects.filter(groups__name=Role.VOLUNTEER).order_by("email").first()
    volunteers = []
    for index, (name, status, languages) in enumerate(VOLUNTEERS):
        applied = today - timedelta(days=rng.randint(400, 700) if status != Volunteer.Status.APPLIED else 12)
        checked = status in (*Volunteer.CHECKED_STATUSES, Volunteer.Status.INACTIVE)
        trained = status in (*Volunteer.TRAINED_STATUSES, Volunteer.Status.INACTIVE)
        details = {
            "full_name": name,
            "email": "",
            "phone": f"860-555-{1200 + index:04d}",
            "status": status,
            "applied_on": applied,
            "background_checked_on": applied + timedelta(days=21) if checked else None,
            "trained_on": applied + timedelta(days=40) if trained else None,
            "languages": languages,
            "skills": rng.choice(["Peer support", "Driving the van", "Youth work", "Nursing", ""]),
            "availability": rng.choice(["Weekday evenings", "Fridays and Saturdays", "Any evening"]),
            "emergency_contact_name": "",
            "emergency_contact_phone": "",
            "notes": "",
        }
        account = login if index == 0 else None
        volunteers.append(services.save_volunteer(None, by=worker, details=details, account=account))
    return volunteers


def _session(rng, worker, active, towns, day: date, *, planned: bool):
    starts = timezone.make_aware(datetime.combine(day, time(rng.choice([17, 18, 19, 20]), rng.choice([0, 30]))))
    contacted = 0 if planned else rng.randint(3, 28)
    counts = {
        "people_contacted": contacted,
        "hotline_cards": 0 if planned else contacted + rng.randint(0, 10),
        "hygiene_kits": 0 if planned else rng.randint(0, contacted),
        "food_items": 0 if planned else rng.randint(0, contacted),
        "resource_sheets": 0 if planned else rng.randint(0, contacted // 2),
        "possibly_identified": 0 if planned else rng.randint(0, min(3, contacted)),
        "safety_incidents": 0 if planned or rng.random() > 0.05 else 1,
    }
    details = services.SessionDetails(
        starts_at=starts,
        ends_at=starts + timedelta(hours=rng.choice([2, 2, 3, 4])),
        town=rng.choice(towns),
        venue_types=sorted(rng.sample(STREET_VENUES, rng.choice([1, 1, 2]))),
        area=rng.choice(AREAS),
        lead=worker,
        volunteers=rng.sample(active, rng.randint(1, min(3, len(active)))),
        counts=counts,
        incident_notes="A man followed the team to the van; we left the block." if counts["safety_incidents"] else "",
        notes="" if planned else rng.choice(NOTES),
    )
    return services.log_session(by=worker, details=details)


def _requests(worker: User, sessions) -> None:
    """Two requests for help, waiting in the first team's intake queue."""
    team = Team.objects.order_by("name").first()
    people = [
        ("Mari", 19, "Spanish", [HelpNeed.SAFE_PLACE, HelpNeed.FOOD], "Needs somewhere to stay this week."),
        ("K.", None, "English", [HelpNeed.LEAVING, HelpNeed.TALK], "Wants to talk to someone, not on the phone."),
    ]
    for session, (name, age, language, needs, words) in zip(sessions, people, strict=False):
        request = intake.RequestForHelp(
            team=team,
            met_on=session.starts_at.date(),
            where="",
            name=name,
            age=age,
            language=language,
            phone="860-555-0199",
            safe_to_text=True,
            safe_to_call=False,
            how_to_reach="Text first, after 9 pm only.",
            needs=[str(need) for need in needs],
            in_their_words=words,
            agreed=True,
        )
        services.hand_off(session, by=worker, request=request)


def _partnerships(rng: random.Random, worker: User, today: date) -> None:
    partners = list(
        Organization.objects.filter(
            is_active=True,
            kind__in=[
                Organization.Kind.LAW_ENFORCEMENT,
                Organization.Kind.SOCIAL_SERVICE,
                Organization.Kind.VICTIM_SERVICES,
                Organization.Kind.CHILD_WELFARE,
            ],
        ).order_by("name")
    )
    if not partners:
        return
    topics = {
        PartnershipActivity.Kind.REFERRAL: "Agreed how referrals reach the intake team after hours.",
        PartnershipActivity.Kind.INFORMATION_SHARING: "Shared the outreach calendar and the hotline cards.",
        PartnershipActivity.Kind.JOINT_PROGRAMMING: "Planned a joint outreach night with their street team.",
    }
    for index in range(12):
        kind = rng.choice(list(topics))
        services.record_partnership(
            None,
            by=worker,
            details=services.PartnershipDetails(
                organization=partners[index % len(partners)],
                kind=kind,
                on=today - timedelta(days=rng.randint(1, 330)),
                people_involved="Outreach worker; the partner's liaison",
                notes=topics[kind],
            ),
        )
