"""The demo's community training: Connecticut's curricula, trainers with their certifications,
a year and a half of events for every audience, a few ahead, and pre/post surveys on some of
them that improve as the state's did, with a few items that go down. All made up.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from bloom.accounts.models import Role, User
from bloom.directory.models import Organization, Town
from training import services
from training.models import (
    Answer,
    Audience,
    Certification,
    Curriculum,
    Experience,
    FieldOfWork,
    SurveyInstrument,
    SurveyResponse,
    TrainingEvent,
)

A = Audience
# The curricula in seed 003: (name, audience, hours, sessions).
CURRICULA = [
    ("Introduction to DMST in Connecticut", A.GENERAL, "3", 1),
    (
        "Introduction to Human Trafficking in Connecticut for Law Enforcement (POST Certified)",
        A.LAW_ENFORCEMENT,
        "4",
        1,
    ),
    ("Introduction to DMST in Connecticut for Emergency Medical Services (EMS)", A.MEDICAL, "2", 1),
    ("Domestic Minor Sex Trafficking of Boys & Male Bodied Youth", A.GENERAL, "3", 1),
    ("Human Trafficking Day 1: Understanding commercial sexual exploitation of children and DMST", A.GENERAL, "6", 1),
    ("Human Trafficking Day 2: Working with youth at risk of CSEC/DMST and labor trafficking", A.GENERAL, "6", 1),
    ("Fostering in the best & hardest of times", A.FOSTER_PARENTS, "3", 1),
    ("Youth Awareness on DMST", A.YOUTH, "1", 1),
    ("Youth Prevention: Not a #Number", A.YOUTH, "7.5", 5),
    ("Introduction to DMST in Connecticut for School Staff", A.SCHOOL_STAFF, "2", 1),
    ("Student Awareness on DMST", A.STUDENTS, "1", 1),
]
# Their names in Spanish, as a director would write them beside the English (DMST: the domestic
# sex trafficking of minors; a program's own name, "Not a #Number", kept as it is).
SPANISH_NAMES = {
    "Introduction to DMST in Connecticut": "Introducción a la trata sexual de menores (DMST) en Connecticut",
    "Introduction to Human Trafficking in Connecticut for Law Enforcement (POST Certified)": (
        "Introducción a la trata de personas en Connecticut para la policía (certificado por POST)"
    ),
    "Introduction to DMST in Connecticut for Emergency Medical Services (EMS)": (
        "Introducción a la DMST en Connecticut para los servicios médicos de emergencia (EMS)"
    ),
    "Domestic Minor Sex Trafficking of Boys & Male Bodied Youth": (
        "La trata sexual de menores: niños y jóvenes de cuerpo masculino"
    ),
    "Human Trafficking Day 1: Understanding commercial sexual exploitation of children and DMST": (
        "Trata de personas, día 1: comprender la explotación sexual comercial de menores y la DMST"
    ),
    "Human Trafficking Day 2: Working with youth at risk of CSEC/DMST and labor trafficking": (
        "Trata de personas, día 2: trabajar con jóvenes en riesgo de CSEC/DMST y de trata con fines de "
        "explotación laboral"
    ),
    "Fostering in the best & hardest of times": "Acoger a menores en los mejores y en los más difíciles momentos",
    "Youth Awareness on DMST": "Concientización juvenil sobre la DMST",
    "Youth Prevention: Not a #Number": "Prevención juvenil: Not a #Number",
    "Introduction to DMST in Connecticut for School Staff": (
        "Introducción a la DMST en Connecticut para el personal escolar"
    ),
    "Student Awareness on DMST": "Concientización estudiantil sobre la DMST",
}
# One paper survey in this many was answered in Spanish (the same items, pooled in the results).
SPANISH_EVERY = 4
TRAINERS = [("Priya Raman", None), ("Marcus Lee", "Hartford Police Department"), ("Dana Whitcomb", None)]
# Where the demo's events are held, by audience (names from the demo directory where it has them).
FIELDS = {
    A.GENERAL: [FieldOfWork.SERVICE_PROVIDER, FieldOfWork.CHILD_WELFARE, FieldOfWork.OTHER],
    A.LAW_ENFORCEMENT: [FieldOfWork.LAW_ENFORCEMENT],
    A.SCHOOL_STAFF: [FieldOfWork.EDUCATION],
    A.MEDICAL: [FieldOfWork.OTHER],
    A.FOSTER_PARENTS: [FieldOfWork.CHILD_WELFARE, FieldOfWork.OTHER],
}
# The state's averages before and after, per construct (seed 003), as item means to draw around.
MEANS = {"knowledge": (2.1, 3.4), "beliefs": (2.6, 2.2), "comfort": (4.6, 6.1)}
# Items that scored lower after the training in the state's evaluation: people learn how much they did not know.
LOWER_AFTER = ("agency's process", "agency's referral", "Services available", "Directly ask")
EVENTS = 36
SURVEYED = 8


def demo_training(rng: random.Random, today: date) -> None:
    trainer_user = User.objects.filter(groups__name=Role.TRAINER).order_by("email").first()
    if trainer_user is None:
        return
    curricula = [
        services.save_curriculum(
            None,
            by=trainer_user,
            details={
                "name": name,
                "version": "2024",
                "audience": audience,
                "hours": Decimal(hours),
                "sessions": sessions,
                "description": "",
                "active": True,
                "translations": {"es": {"name": SPANISH_NAMES[name]}},
            },
        )
        for name, audience, hours, sessions in CURRICULA
    ]
    trainers = []
    for name, organization in TRAINERS:
        host = Organization.objects.filter(name=organization).first() if organization else None
        trainer = services.save_trainer(
            None, by=trainer_user, details={"full_name": name, "email": "", "organization": host, "active": True}
        )
        for curriculum in curricula:
            services.certify(
                trainer, by=trainer_user, curriculum=curriculum, kind=Certification.Kind.TRAINER,
                certified_on=today - timedelta(days=800), teach_back=Certification.TeachBack.LIVE,
            )  # fmt: skip
        trainers.append(trainer)
    _events(rng, today, trainer_user, curricula, trainers)


def _events(rng, today, by, curricula, trainers) -> None:
    instrument = SurveyInstrument.objects.get(is_default=True)
    organizations = list(Organization.objects.order_by("name"))
    towns = list(Town.objects.filter(in_service_area=True).order_by("name"))
    offsets = sorted(rng.sample(range(4, 540), EVENTS), reverse=True)
    surveyed = {*rng.sample(range(EVENTS - 6, EVENTS), SURVEYED - 2), 0, 5}
    for index, offset in enumerate([*offsets, -5, -12, -26]):
        curriculum = rng.choice(curricula)
        day = today - timedelta(days=offset)
        starts = timezone.make_aware(datetime.combine(day, time(rng.choice([9, 10, 13, 18]))))
        ends = starts + timedelta(minutes=int(curriculum.hours * 60))
        held = offset > 0
        event = services.save_event(None, by=by, details=services.EventDetails(
            curriculum=curriculum, starts_at=starts, ends_at=ends, trainers=rng.sample(trainers, rng.choice([1, 2])),
            audience=curriculum.audience, host=rng.choice(organizations) if organizations else None,
            town=rng.choice(towns) if towns else None,
            attendee_count=rng.randint(12, 60) if held else None,
            fields_of_work=[str(f) for f in FIELDS.get(curriculum.audience, [])],
            instrument=instrument if index in surveyed or not held else None,
        ))  # fmt: skip
        if held and index in surveyed:
            _surveys(rng, event, by, instrument, curriculum.audience)


def _surveys(rng, event, by, instrument, audience) -> None:
    layout = [(c, list(c.items.all())) for c in instrument.constructs.prefetch_related("items")]
    fields = FIELDS.get(audience) or [FieldOfWork.OTHER]
    for phase, share in ((SurveyResponse.Phase.PRE, 0), (SurveyResponse.Phase.POST, 1)):
        for n in range(rng.randint(10, 18)):
            scores = _drawn(rng, layout, after=bool(share))
            trainee = services.Trainee(field_of_work=str(rng.choice(fields)), experience=rng.choice(Experience.values))
            language = "es" if n % SPANISH_EVERY == SPANISH_EVERY - 1 else "en"
            services.enter_paper(event, by=by, phase=phase, trainee=trainee, scores=scores, language=language)


SCALE_PER_EVENT = 50


def seed_scale_surveys(total: int, *, seed: int = 13) -> int:
    """Grow the surveys answered to ``total`` in all, in bulk, on new events of the demo's courses; returns how many.

    As the state's evaluation had (4,865 surveys from 97 events): about fifty surveys an event,
    half before and half after, over the past two years. Scale data: events, responses and
    answers go in with ``bulk_create`` and skip history on purpose, like the other scale seeds;
    the benchmark reads the current rows.
    """
    have = SurveyResponse.objects.count()
    more = max(0, total - have)
    if not more:
        return 0
    rng = random.Random(seed * 1_000_003 + have)  # noqa: S311 (made-up demo data, not secrets)
    by = User.objects.filter(groups__name=Role.TRAINER).order_by("email").first()
    instrument = SurveyInstrument.objects.get(is_default=True)
    curricula = list(Curriculum.objects.order_by("pk"))
    if by is None or not curricula:
        raise RuntimeError("Seed the demo first: scale surveys go on the demo's courses.")
    layout = [(c, list(c.items.all())) for c in instrument.constructs.prefetch_related("items")]
    now = timezone.now()
    events = []
    for _n in range(-(-more // SCALE_PER_EVENT)):
        curriculum = rng.choice(curricula)
        starts = now - timedelta(days=rng.randint(10, 730), hours=rng.randint(0, 8))
        events.append(TrainingEvent(
            curriculum=curriculum, starts_at=starts, ends_at=starts + timedelta(hours=3), audience=curriculum.audience,
            attendee_count=rng.randint(30, 80), fields_of_work=[], instrument=instrument,
            survey_closes_at=starts + timedelta(days=3), created_by=by,
        ))  # fmt: skip
    events = TrainingEvent.objects.bulk_create(events)
    responses, scores = [], []
    for index in range(more):
        event = events[index // SCALE_PER_EVENT]
        phase = SurveyResponse.Phase.PRE if index % 2 else SurveyResponse.Phase.POST
        responses.append(SurveyResponse(
            event=event, instrument=instrument, phase=phase, source=SurveyResponse.Source.PAPER,
            field_of_work=rng.choice(FieldOfWork.values), experience=rng.choice(Experience.values), entered_by=by,
        ))  # fmt: skip
        scores.append(_drawn(rng, layout, after=phase == SurveyResponse.Phase.POST))
    responses = SurveyResponse.objects.bulk_create(responses, batch_size=2000)
    Answer.objects.bulk_create(
        (Answer(response=r, item_id=item, score=score) for r, drawn in zip(responses, scores, strict=True)
         for item, score in drawn.items()),
        batch_size=5000,
    )  # fmt: skip
    return more


def _drawn(rng, layout, *, after: bool) -> dict[int, int]:
    scores = {}
    for construct, items in layout:
        before_mean, after_mean = MEANS.get(construct.code, (5, 6))
        for item in items:
            if any(words in item.text for words in LOWER_AFTER):
                centre = before_mean + (0.2 if after else 0.7)
            else:
                centre = after_mean if after else before_mean
            scores[item.pk] = min(max(round(rng.gauss(centre, 0.9)), construct.scale_min), construct.scale_max)
    return scores
