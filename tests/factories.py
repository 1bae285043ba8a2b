from datetime import date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from assistance.models import AssistanceRequest, Category, Fund
from assistance.services import funds as fund_services
from assistance.services import help as help_services
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from bloom.accounts.models import Role, User
from bloom.accounts.services import create_team, set_team_members, set_team_supervisors
from bloom.directory.models import Town
from bloom.intake import RequestForHelp
from cases import services
from cases.models import Contact, IntakeRequest
from outreach import services as outreach_services
from phases.models import CasePlan, PhaseReview, PhaseTemplate
from phases.services import journey as journey_services
from phases.services import templates as template_services
from training import services as training_services
from training.models import SurveyInstrument


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    # No password hashing in bulk: tests that sign in by form set a password themselves.
    password = "!unusable"

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


def make_user(*roles: Role, **kwargs) -> User:
    return UserFactory(roles=list(roles), **kwargs)


def make_team(name: str, *, supervisors=(), members=()):
    team = create_team(name=name, by=None)
    set_team_supervisors(team, supervisors=list(supervisors), by=None)
    set_team_members(team, members=list(members), by=None)
    return team


def make_case(*, team, specialists=(), by=None, legal_name="Test Person", **kwargs):
    by = by or (specialists[0] if specialists else make_user(Role.PROGRAM_DIRECTOR))
    return services.open_case(by=by, team=team, specialists=list(specialists), legal_name=legal_name, **kwargs)


def morning(days_ago: int) -> datetime:
    """Nine in the morning, local time, ``days_ago`` days back (at least one: never in the future)."""
    assert days_ago >= 1
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(9)))


def log_contact(case, by, *, days_ago: int, kind=Contact.Kind.PHONE, **values) -> Contact:
    """A contact logged through the service, at nine in the morning ``days_ago`` days back."""
    return services.log_contact(
        case, by=by, kind=kind, occurred_at=morning(days_ago), initiated_by=Contact.Initiator.STAFF, **values
    )


def correct_contact(contact, by, **overrides) -> Contact:
    """``contact`` corrected through the service: as it stands, with ``overrides``."""
    values = {
        "kind": contact.kind,
        "occurred_at": contact.occurred_at,
        "initiated_by": contact.initiated_by,
        "duration_minutes": contact.duration_minutes,
        "topics": contact.topics,
        "note": contact.note,
        "interpreter_used": contact.interpreter_used,
        "services": [],
        **overrides,
    }
    return services.correct_contact(contact, by=by, **values)


def make_town(name="Hartford", *, in_service_area=True) -> Town:
    return Town.objects.get_or_create(name=name, defaults={"in_service_area": in_service_area})[0]


def edit_survivor(case, *, by, **details):
    """Change survivor details through the real service, as the edit page does."""
    return services.update_case(case, by=by, details=details, referral={})


def ask_to_close(case, *, by, closed_on=None, **answers):
    """A closure request through the real service, with plausible answers unless given."""
    answers = {"reason": "goals met", "living_situation": "own home", "hhs_certification": "not applicable", **answers}
    return services.request_closure(case, by=by, closed_on=closed_on or case.opened_on, **answers)


def close_case(case, *, by, approver, closed_on=None, **answers):
    """Close a case the only way there is: ``by`` asks, ``approver`` (a supervisor) approves."""
    closure = ask_to_close(case, by=by, closed_on=closed_on, **answers)
    return services.approve_closure(closure, by=approver)


def form_errors(response) -> set[str]:
    """The names of the fields with errors on a page, whether it shows one form or several."""
    forms = response.context.get("forms") or [response.context["form"]]
    return {name for form in forms for name in form.errors}


# The case plan ------------------------------------------------------------------------------------

PLAN_NOTE = "Housing is settled; income is on the way."
PLAN_VIEW = "I feel ready to work on healing now."


def template_in_use() -> PhaseTemplate:
    return PhaseTemplate.objects.get(in_use=True)


def start_plan(case, by, *, started_on=None, months=12, template=None) -> CasePlan:
    """A case plan through the real service, on the template in use unless given."""
    return journey_services.start_plan(
        case,
        by=by,
        template=template or template_in_use(),
        started_on=started_on or case.opened_on,
        expected_months=months,
    )


def ask_to_move(plan, by, *, move_on=None, done=None, note=PLAN_NOTE, view=PLAN_VIEW) -> PhaseReview:
    """Ask to move the plan on to its next phase, with the whole checklist done unless given."""
    current = plan.stays.get(left_on__isnull=True)
    return journey_services.request_move(
        plan,
        by=by,
        done=done if done is not None else [True] * len(current.phase.checklist),
        specialist_note=note,
        survivor_view=view,
        move_on=move_on or timezone.localdate(),
    )


def template_copy(world) -> PhaseTemplate:
    """A copy of the template in use, made by the director: no case plan follows it."""
    return template_services.copy_template(
        template_in_use(), by=world.director, name="A copy to change", description=""
    )


def plan_moved_on(world) -> CasePlan:
    """A plan on a new case of team A (its specialist's), moved on to its second phase."""
    case = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Mo Moving")
    plan = start_plan(case, world.specialist)
    journey_services.sign_off_move(ask_to_move(plan, world.specialist), by=world.supervisor)
    return plan


def waiting_review(world) -> PhaseReview:
    """A move waiting for sign-off, asked for by the specialist, on a new case of team A."""
    case = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Wen Waiting")
    return ask_to_move(start_plan(case, world.specialist), world.specialist)


# Assistance ------------------------------------------------------------------------------


def make_fund(by, *, budgets=None, total="10000.00", award_number=None, starts_on=None, ends_on=None, name="Test fund"):
    """A fund through the real service: by default a year either side of today, rent and food budgeted."""
    today = timezone.localdate()
    budgets = budgets if budgets is not None else {Category.RENT: "5000.00", Category.FOOD: "1000.00"}
    details = fund_services.FundDetails(
        name=name,
        funder="Test Foundation",
        award_number=award_number or f"AW-{Fund.objects.count() + 1:04d}",
        starts_on=starts_on or today - timedelta(days=365),
        ends_on=ends_on or today + timedelta(days=365),
        total=Decimal(total),
    )
    return fund_services.create_fund(by=by, details=details, budgets={k: Decimal(v) for k, v in budgets.items()})


def request_details(fund, **overrides) -> request_services.RequestDetails:
    """Plausible details for a request for rent from ``fund``, changed by ``overrides``."""
    values = {
        "fund": fund,
        "category": Category.RENT,
        "amount": Decimal("400.00"),
        "payee_kind": AssistanceRequest.Payee.LANDLORD,
        "payee_name": "Park Street Apartments LLC",
        "payee_details": "12 Park Street, Hartford",
        "purpose": "Rent for this month",
        "needed_by": timezone.localdate() + timedelta(days=7),
        **overrides,
    }
    if isinstance(values["amount"], str):
        values["amount"] = Decimal(values["amount"])
    return request_services.RequestDetails(**values)


def ask_money(case, by, fund, **overrides) -> AssistanceRequest:
    return request_services.ask(case, by=by, details=request_details(fund, **overrides))


def ask_money_on(day: date, case, by, fund, **overrides) -> AssistanceRequest:
    """A request made through the real service, then moved back to 9 a.m. on ``day`` in the program's time.

    Moving it back by a number of 24-hour days instead would land on the day before when a
    change of clock lies between (an October request, asked for in December near midnight).
    """
    asked = ask_money(case, by, fund, **overrides)
    made_at = timezone.make_aware(datetime.combine(day, time(9)))
    AssistanceRequest.objects.filter(pk=asked.pk).update(requested_at=made_at)
    asked.refresh_from_db()
    return asked


def pay_money(asked, by, *, method="check", reference="1001", paid_on: date | None = None, receipt=None):
    details = request_services.PaymentDetails(
        method=method, reference=reference, paid_on=paid_on or timezone.localdate()
    )
    return request_services.pay(asked, by=by, details=details, receipt=receipt)


def give_kit(case, by, *, quantity=1):
    """A hygiene kit given today, through the real service."""
    details = help_services.ItemDetails(
        kind="hygiene kit",
        description="",
        quantity=quantity,
        value=Decimal("25.00") * quantity,
        given_on=timezone.localdate(),
    )
    return help_services.give(case, by=by, details=details)


def shelter_stay(case, by, *, started_on: date | None = None):
    """An emergency shelter stay at Harbor House begun ``started_on`` (today), for 30 days."""
    started_on = started_on or timezone.localdate()
    details = housing_services.StayDetails(
        kind="emergency",
        long_term="",
        provider=None,
        provider_name="Harbor House",
        started_on=started_on,
        expected_end=started_on + timedelta(days=30),
    )
    return housing_services.place(case, by=by, details=details)


def make_volunteer(by, *, full_name="Val Volunteer", status="active", user=None, **details):
    """A volunteer recorded through the service; active ones have their check and training on record."""
    today = timezone.localdate()
    values = {
        "full_name": full_name, "email": "", "phone": "", "status": status,
        "applied_on": today - timedelta(days=90), "background_checked_on": None, "trained_on": None,
        "languages": "", "skills": "", "availability": "", "emergency_contact_name": "",
        "emergency_contact_phone": "", "notes": "",
    }  # fmt: skip
    if status in ("background checked", "trained", "active", "inactive"):
        values["background_checked_on"] = today - timedelta(days=60)
    if status in ("trained", "active", "inactive"):
        values["trained_on"] = today - timedelta(days=30)
    values.update(details)
    return outreach_services.save_volunteer(None, by=by, details=values, account=user)


def session_details(by, *, town=None, starts_at=None, hours=2, volunteers=(), venue_types=("street",), **counts):
    """What an outreach worker enters for a session: by default two hours on the street, ending an hour ago."""
    starts_at = starts_at or timezone.now().replace(microsecond=0) - timedelta(hours=hours + 1)
    extra = {name: counts.pop(name) for name in ("area", "incident_notes", "notes") if name in counts}
    return outreach_services.SessionDetails(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        town=town or make_town(),
        venue_types=list(venue_types),
        area=extra.get("area", "Park Street, between Main and Broad"),
        lead=by,
        volunteers=list(volunteers),
        counts=counts,
        incident_notes=extra.get("incident_notes", ""),
        notes=extra.get("notes", ""),
    )


def log_outreach(by, **kwargs):
    """A session logged through the service (see ``session_details`` for the defaults)."""
    return outreach_services.log_session(by=by, details=session_details(by, **kwargs))


def request_for_help(team, **overrides):
    """What a person met in outreach agreed to share (the service sets where and when)."""
    values = {
        "team": team, "met_on": timezone.localdate(), "where": "", "name": "Rosa",
        "phone": "860-555-0142", "safe_to_text": True, "needs": ["safe place"],
        "in_their_words": "Wants somewhere safe to sleep.", "agreed": True,
    }  # fmt: skip
    values.update(overrides)
    return RequestForHelp(**values)


def hand_off(session, by, team, **overrides):
    """Pass a request for help to ``team``'s intake from ``session``; returns the waiting request."""
    outreach_services.hand_off(session, by=by, request=request_for_help(team, **overrides))
    return IntakeRequest.objects.latest("pk")


# --- training ---------------------------------------------------------------------------------


def make_curriculum(by, *, name="Introduction to DMST", version="2024", audience="general", hours="3", **details):
    values = {"name": name, "version": version, "audience": audience, "hours": Decimal(hours), "sessions": 1,
              "description": "", "active": True, **details}  # fmt: skip
    return training_services.save_curriculum(None, by=by, details=values)


def make_trainer(by, *, full_name="Terry Trainer", curricula=(), certified_on=None, **details):
    """A trainer through the service, certified (as a trainer, without expiry) for each of ``curricula``."""
    values = {"full_name": full_name, "email": "", "organization": None, "active": True, **details}
    trainer = training_services.save_trainer(None, by=by, details=values)
    for curriculum in curricula:
        training_services.certify(
            trainer, by=by, curriculum=curriculum, kind="trainer",
            certified_on=certified_on or timezone.localdate() - timedelta(days=365),
        )  # fmt: skip
    return trainer


def default_instrument():
    return SurveyInstrument.objects.get(is_default=True)


def event_details(by, *, curriculum=None, trainers=None, starts_at=None, hours=3, instrument="default", **fields):
    """An event as a trainer enters it: by default three hours, ended an hour ago, on the default survey."""
    curriculum = curriculum or make_curriculum(by)
    if trainers is None:
        trainers = [make_trainer(by, curricula=[curriculum])]
    starts_at = starts_at or timezone.now().replace(microsecond=0) - timedelta(hours=hours + 1)
    return training_services.EventDetails(
        curriculum=curriculum,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        trainers=list(trainers),
        audience=fields.pop("audience", curriculum.audience),
        instrument=default_instrument() if instrument == "default" else instrument,
        **fields,
    )


def make_event(by, **kwargs):
    return training_services.save_event(None, by=by, details=event_details(by, **kwargs))


def survey_scores(instrument, by_construct: dict[str, list[int | None]] | None = None, *, every: int | None = None):
    """Item id -> score: ``by_construct`` gives each construct's scores in item order; ``every`` fills the rest."""
    scores = {}
    for construct in instrument.constructs.prefetch_related("items"):
        given = (by_construct or {}).get(construct.code)
        for index, item in enumerate(construct.items.all()):
            if given is not None:
                scores[item.pk] = given[index] if index < len(given) else None
            else:
                scores[item.pk] = every if every is not None else construct.scale_min
    return scores


def enter_survey(event, by, *, phase="pre", field_of_work="", scores=None, **by_construct):
    """A paper survey typed in; ``knowledge=[...]`` etc. give a construct's scores, the rest 1."""
    scores = scores or survey_scores(event.instrument, by_construct or None)
    trainee = training_services.Trainee(field_of_work=field_of_work)
    return training_services.enter_paper(event, by=by, phase=phase, trainee=trainee, scores=scores)


def speaks(person: User, language: str) -> User:
    """``person`` working in ``language`` (set as an administrator would, with no history row)."""
    User.objects.filter(pk=person.pk).update(language=language)
    person.refresh_from_db()
    return person
