"""Hostile input to every page of training: curricula, trainers and their certifications, events and
their attendees, paper surveys, survey wording, the public survey link, and the results' period (on
the results page and in the evaluation report).

Each ``Target`` says how its view builds the forms and what the view does with a post; the
harness gives every field every hostile value of its kind, then posts a few through HTTP.
What must hold of the stored records afterwards is ``assert_training_consistent``.
"""

from datetime import timedelta
from itertools import count

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from bloom.forms import show_refusal
from bloom.reports import services as report_services
from bloom.reports.models import ReportJob
from tests.hostile.harness import Target, attack, check_answer, every_row_has_history, post_through_http, saved
from tests.objects import Objects
from training import access, charts, evaluation, queries, services
from training import reports as training_reports
from training.forms import (
    AttendeeForm,
    CertificationForm,
    CurriculumForm,
    EventForm,
    PaperSurveyForm,
    PeriodForm,
    SurveyForm,
    TrainerForm,
    WordingForm,
)
from training.models import (
    LARGEST_HEADCOUNT,
    LONGEST_SURVEY_WINDOW,
    Answer,
    Certification,
    Curriculum,
    FieldOfWork,
    Item,
    SubmissionMark,
    SurveyInstrument,
    SurveyResponse,
    Trainer,
    TrainingEvent,
)


def today():
    return timezone.localdate()


def days_from_today(days: int) -> str:
    return (today() + timedelta(days=days)).isoformat()


# The records a view reads afresh from the URL on every request --------------------------------------


def event_of(o: Objects) -> TrainingEvent:
    """The world's event as ``access.get_event_for`` gives it to the view."""
    return access.get_event_for(o.world.trainer, o.training_event.pk)


def curriculum_of(o: Objects) -> Curriculum:
    return access.get_curriculum_for(o.world.trainer, o.curriculum.pk)


def trainer_of(o: Objects) -> Trainer:
    return access.get_trainer_for(o.world.trainer, o.course_trainer.pk)


def draft_of(o: Objects) -> SurveyInstrument:
    return access.get_instrument_for(o.world.trainer, o.draft_survey.pk)


# One device and one address per answer through the link: one device answers each survey once, and
# one network sends at most 60 in ten minutes (addresses of the documentation range, never reached).
PHONES = count(1)


def new_phone() -> tuple[str, str]:
    n = next(PHONES)
    return f"hostile-test-device-{n:08d}", f"2001:db8::{n:x}"


# Submits: what each view does with a valid post --------------------------------------------------


def _answer_by_link(o: Objects, form) -> bool:
    # The view reads a post only while the link is open (the world's event ended an hour ago).
    event = event_of(o)
    if services.link_state(event, "post") != services.LinkState.OPEN or not form.is_valid():
        return False
    device, network = new_phone()
    try:
        services.answer_by_link(
            event, phase="post", trainee=form.trainee(), scores=form.scores(), device=device, network=network
        )
    except ValidationError as error:
        if getattr(error, "code", None) not in {"closed", "answered"}:  # those go to a page that says so
            show_refusal(form, error)
        return False
    return True


def _save_curriculum(o: Objects, form) -> Curriculum:
    # The view passes the curriculum afresh: the form has changed its instance while validating.
    current = Curriculum.objects.get(pk=form.instance.pk) if form.instance.pk else None
    return services.save_curriculum(current, by=o.world.trainer, details=form.details())


def _results(o: Objects, form) -> bool:
    if form.is_valid():
        data = form.cleaned_data
        events = evaluation.events_between(access.visible_events(o.world.supervisor), data["start"], data["end"])
        result = evaluation.evaluate(events)
        activity = queries.activity(events, by=data["by"])
        charts.construct_charts(result, chart_id="period")
        charts.activity_chart(activity)
    return False


def _period_report(o: Objects, form) -> bool:
    """The reports view: the builder reads the period from the post, then the report is queued."""
    try:
        parameters = training_reports.period_parameters(form.data)
    except ValidationError:
        return False
    try:
        report_services.request_report(
            by=o.world.director, kind="training_evaluation", target_id=0, parameters=parameters
        )
    except report_services.NothingToPrint:
        return False
    return True


# Valid posts ---------------------------------------------------------------------------------------


def valid_event(o: Objects) -> dict:
    """A morning's event today, with every field given, on the default survey."""
    return {
        "curriculum": o.curriculum.pk,
        "day": today().isoformat(),
        "starts": "09:00",
        "last_day": today().isoformat(),
        "ends": "12:30",
        "trainers": [o.course_trainer.pk],
        "audience": "school staff",
        "host": o.organization.pk,
        "town": o.town.pk,
        "attendee_count": "25",
        "fields_of_work": ["education", "other"],
        "positions": "Teachers, school counselors",
        "instrument": o.survey.pk,
        "survey_closes_on": days_from_today(2),
        "notes": "Held in the library.",
    }


def once_per_test(make):
    """``make(o)`` worked out on a test's first call, then kept on that test's copy of the objects.

    A survey's valid post reads its layout (two queries), and a wording read afresh would grow by
    its own rewording at every example: the post each example starts from is the first one.
    """
    key = f"_once_{make.__name__}"

    def once(o: Objects) -> dict:
        if key not in vars(o):
            vars(o)[key] = make(o)
        return dict(vars(o)[key])

    return once


@once_per_test
def valid_survey(o: Objects) -> dict:
    """Two items of each construct of the default survey answered, and who answered."""
    scores = {
        f"item_{item.pk}": str(construct.scale_min + 1)
        for construct, items in queries.survey_layout(o.survey)
        for item in items[:2]
    }
    return {"field_of_work": "education", "position": "teacher", "experience": "3-5", **scores}


def valid_curriculum(o: Objects) -> dict:
    # A name and version are taken once: each post names a version not taken yet.
    return {
        "name": "Labor trafficking",
        "version": f"hostile-{Curriculum.objects.count()}",
        "audience": "general",
        "hours": "2.5",
        "sessions": "2",
        "description": "For shelter staff.",
        "active": "on",
    }


@once_per_test
def valid_wording(o: Objects) -> dict:
    """Every title and question of the draft survey as it is, and every item in plainer words."""
    data = {}
    for construct, items in queries.survey_layout(o.draft_survey):
        data |= {f"title_{construct.pk}": construct.title, f"question_{construct.pk}": construct.question}
        data |= {f"item_{item.pk}": f"{item.text}, in plainer words" for item in items}
    return data


# Pages that show what a post stored ----------------------------------------------------------------


def event_pages(event: TrainingEvent) -> list[str]:
    return [f"/training/events/{event.pk}/{page}" for page in ("", "edit/", "results/", "surveys/", "survey-sheet/")]


def new_event_pages(o: Objects) -> list[str]:
    latest = TrainingEvent.objects.latest("pk")
    return ["/training/", *event_pages(latest), f"/training/trainers/{o.course_trainer.pk}/"]


def world_event_pages(o: Objects) -> list[str]:
    return [*event_pages(o.training_event), "/training/", "/training/results/"]


def curriculum_pages(o: Objects) -> list[str]:
    return [
        "/training/curricula/",
        "/training/events/new/",
        f"/training/events/{o.training_event.pk}/",
        f"/training/events/{o.training_event.pk}/results/",
        f"/training/trainers/{o.course_trainer.pk}/",
    ]


def trainer_pages(o: Objects) -> list[str]:
    return [
        "/training/trainers/",
        "/training/events/new/",
        f"/training/trainers/{Trainer.objects.latest('pk').pk}/",
        f"/training/trainers/{o.course_trainer.pk}/",
        f"/training/events/{o.training_event.pk}/",
    ]


def survey_pages(o: Objects) -> list[str]:
    return [f"/training/surveys/{o.draft_survey.pk}/", "/training/surveys/", "/training/events/new/"]


def showing(pages):
    """``after`` an attack: each of ``pages`` opens for the trainer and shows what was stored, escaped.

    Through HTTP one post is stored; after the attack, every value that was taken is on these pages.
    """

    def after(o: Objects) -> None:
        client = Client()
        client.force_login(o.world.trainer)
        for path in pages(o):
            response = client.get(path)
            assert response.status_code == 200, path
            check_answer(response, path)

    return after


def latest_job_page(o: Objects) -> str:
    job = ReportJob.objects.filter(requested_by=o.world.director).latest("pk")
    return f"/reports/jobs/{job.public_id}/"


TARGETS = [
    # Events and their attendees
    Target(
        "training/events/new/",
        "trainer",
        bind=lambda o, data, files: EventForm(
            data, initial={"day": today(), "instrument": SurveyInstrument.objects.filter(is_default=True).first()}
        ),
        valid=valid_event,
        submit=saved(
            lambda o, form: services.save_event(None, by=o.world.trainer, details=form.details()), ValidationError
        ),
        path=lambda o: "/training/events/new/",
        shows=new_event_pages,
        after=showing(new_event_pages),
    ),
    Target(
        "training/events/<int:pk>/edit/",
        "trainer",
        bind=lambda o, data, files: EventForm(data, initial=EventForm.initial_for(event_of(o))),
        valid=valid_event,
        submit=saved(
            lambda o, form: services.save_event(event_of(o), by=o.world.trainer, details=form.details()),
            ValidationError,
        ),
        path=lambda o: f"/training/events/{o.training_event.pk}/edit/",
        shows=world_event_pages,
        after=showing(world_event_pages),
    ),
    Target(
        "training/events/<int:pk>/attendees/",
        "trainer",
        bind=lambda o, data, files: AttendeeForm(data),
        valid=lambda o: {
            "full_name": "Ann Attendee",
            "organization": "Hartford Public Schools",
            "field_of_work": "education",
            "position": "teacher",
            "email": "ann@example.org",
        },
        submit=saved(
            lambda o, form: services.add_attendee(event_of(o), by=o.world.trainer, details=form.cleaned_data),
            ValidationError,
        ),
        path=lambda o: f"/training/events/{o.training_event.pk}/attendees/",
        shows=world_event_pages,
        after=showing(world_event_pages),
    ),
    # Surveys: typed in from paper, and answered through the link without signing in
    Target(
        "training/events/<int:pk>/surveys/paper/",
        "trainer",
        bind=lambda o, data, files: PaperSurveyForm(
            data, layout=queries.survey_layout(event_of(o).instrument), initial={"phase": "pre"}
        ),
        valid=lambda o: {**valid_survey(o), "phase": "post"},
        submit=saved(
            lambda o, form: services.enter_paper(
                event_of(o),
                by=o.world.trainer,
                phase=form.cleaned_data["phase"],
                trainee=form.trainee(),
                scores=form.scores(),
            ),
            ValidationError,
        ),
        path=lambda o: f"/training/events/{o.training_event.pk}/surveys/paper/",
        shows=world_event_pages,
        after=showing(world_event_pages),
    ),
    Target(
        "s/<str:token>/<slug:phase>/",
        None,
        bind=lambda o, data, files: SurveyForm(data, layout=queries.survey_layout(event_of(o).instrument), phone=True),
        valid=valid_survey,
        submit=_answer_by_link,
        path=lambda o: f"/s/{o.training_event.survey_token}/post/",
        shows=lambda o: [f"/s/{o.training_event.survey_token}/post/thanks/"],
        after=showing(world_event_pages),
    ),
    # Curricula, trainers and their certifications
    Target(
        "training/curricula/new/",
        "trainer",
        bind=lambda o, data, files: CurriculumForm(data),
        valid=valid_curriculum,
        submit=saved(_save_curriculum, ValidationError),
        path=lambda o: "/training/curricula/new/",
        shows=curriculum_pages,
        after=showing(curriculum_pages),
    ),
    Target(
        "training/curricula/<int:pk>/edit/",
        "trainer",
        bind=lambda o, data, files: CurriculumForm(data, instance=curriculum_of(o)),
        valid=lambda o: {**valid_curriculum(o), "name": "Introduction to DMST", "version": o.curriculum.version},
        submit=saved(_save_curriculum, ValidationError),
        path=lambda o: f"/training/curricula/{o.curriculum.pk}/edit/",
        shows=curriculum_pages,
        after=showing(curriculum_pages),
    ),
    Target(
        "training/trainers/new/",
        "trainer",
        bind=lambda o, data, files: TrainerForm(data),
        valid=lambda o: {
            "full_name": "Tess Teacher",
            "email": "tess@example.org",
            "organization": o.organization.pk,
            "active": "on",
        },
        submit=saved(lambda o, form: services.save_trainer(None, by=o.world.trainer, details=form.details())),
        path=lambda o: "/training/trainers/new/",
        shows=trainer_pages,
        after=showing(trainer_pages),
    ),
    Target(
        "training/trainers/<int:pk>/edit/",
        "trainer",
        bind=lambda o, data, files: TrainerForm(data, instance=trainer_of(o)),
        valid=lambda o: {"full_name": "Terry Trainer", "email": "terry@example.org", "active": "on"},
        submit=saved(lambda o, form: services.save_trainer(trainer_of(o), by=o.world.trainer, details=form.details())),
        path=lambda o: f"/training/trainers/{o.course_trainer.pk}/edit/",
        shows=trainer_pages,
        after=showing(trainer_pages),
    ),
    Target(
        "training/trainers/<int:pk>/certify/",
        "trainer",
        bind=lambda o, data, files: CertificationForm(data),
        valid=lambda o: {
            "curriculum": o.curriculum.pk,
            "kind": "facilitator",
            "certified_on": days_from_today(-10),
            "expires_on": days_from_today(365),
            "teach_back": "classroom",
        },
        submit=saved(
            lambda o, form: services.certify(trainer_of(o), by=o.world.trainer, **form.cleaned_data),
            ValidationError,
        ),
        path=lambda o: f"/training/trainers/{o.course_trainer.pk}/certify/",
        shows=trainer_pages,
        after=showing(trainer_pages),
    ),
    # Only a version no event uses can be reworded: the default survey's second version.
    Target(
        "training/surveys/<int:pk>/edit/",
        "trainer",
        bind=lambda o, data, files: WordingForm(data, layout=queries.survey_layout(draft_of(o))),
        valid=valid_wording,
        submit=saved(
            lambda o, form: services.reword(
                draft_of(o), by=o.world.trainer, constructs=form.constructs(), items=form.items()
            ),
            ValidationError,
        ),
        path=lambda o: f"/training/surveys/{o.draft_survey.pk}/edit/",
        shows=survey_pages,
        after=showing(survey_pages),
    ),
    # The results' period: a filter on the results page, and the evaluation report over a period.
    Target(
        "training/results/",
        "supervisor",
        bind=lambda o, data, files: PeriodForm(data) if "start" in data else PeriodForm.default(today()),
        valid=lambda o: {"start": days_from_today(-60), "end": today().isoformat(), "by": "month"},
        submit=_results,
        path=lambda o: "/training/results/",
        stores=False,
        status=200,
        method="get",
    ),
    Target(
        "reports/request/<slug:kind>/<int:target_id>/",
        "director",
        bind=lambda o, data, files: PeriodForm(data),
        valid=lambda o: {"start": days_from_today(-90), "end": today().isoformat(), "by": "month"},
        submit=_period_report,
        path=lambda o: "/reports/request/training_evaluation/0/",
        shows=lambda o: [latest_job_page(o)],
        name="reports/request/training_evaluation/0/",
    ),
]


def assert_training_consistent() -> None:
    """Events that add up, surveys with every score on its scale and every answer on its own survey."""
    assert SurveyInstrument.objects.filter(is_default=True).count() == 1
    for text in Item.objects.values_list("text", flat=True):
        assert text == text.strip(), text
    # Curricula, trainers and certifications: names as typed, without the spaces around them;
    # certified by today.
    for name in Curriculum.objects.values_list("name", flat=True):
        assert name == name.strip(), name
    for name in Trainer.objects.values_list("full_name", flat=True):
        assert name == name.strip(), name
    assert not Certification.objects.filter(certified_on__gt=today()).exists()
    # Events: at most two weeks, the link closing up to 30 days after their end, taught by someone,
    # and a headcount no smaller than the sign-in list.
    events = TrainingEvent.objects.annotate(
        listed=Count("attendees", distinct=True), taught_by=Count("trainers", distinct=True)
    )
    assert not events.filter(ends_at__gt=F("starts_at") + timedelta(days=14)).exists()
    assert not events.filter(survey_closes_at__gt=F("ends_at") + LONGEST_SURVEY_WINDOW).exists()
    assert not events.filter(taught_by=0).exists()
    assert not events.filter(Q(attendee_count__lt=F("listed")) | Q(listed__gt=LARGEST_HEADCOUNT)).exists()
    for event in events:
        assert isinstance(event.fields_of_work, list), event.pk
        assert event.fields_of_work == sorted(set(event.fields_of_work)), event.pk
        assert set(event.fields_of_work) <= set(FieldOfWork.values), event.pk
        assert event.positions == event.positions.strip(), event.pk
    # Surveys: each on its event's survey, with at least one answer, each answer an item of that
    # survey scored on its construct's scale.
    responses = SurveyResponse.objects.all()
    assert not responses.exclude(Exists(Answer.objects.filter(response=OuterRef("pk")))).exists()
    assert not responses.exclude(instrument=F("event__instrument")).exists()
    answers = Answer.objects.all()
    off_scale = Q(score__lt=F("item__construct__scale_min")) | Q(score__gt=F("item__construct__scale_max"))
    assert not answers.filter(off_scale).exists()
    assert not answers.exclude(item__construct__instrument=F("response__instrument")).exists()
    # One rate-limit mark per answer from the link while its survey is open (the marks go once it closes).
    open_events = TrainingEvent.objects.filter(survey_closes_at__gt=timezone.now())
    by_link = responses.filter(source=SurveyResponse.Source.LINK, event__in=open_events)
    assert SubmissionMark.objects.filter(event__in=open_events).count() == by_link.count()
    # A report over a period is queued only for a period the results page takes.
    for parameters in ReportJob.objects.filter(kind="training_evaluation").values_list("parameters", flat=True):
        assert training_reports.period_parameters(parameters) == parameters, parameters


BY_ROUTE = pytest.mark.parametrize("target", TARGETS, ids=str)


@BY_ROUTE
def test_every_field_takes_every_hostile_value(objects, target):
    outcome = attack(target, objects)

    target.after(objects)
    assert_training_consistent()
    every_row_has_history()
    assert outcome.stored > 0 or not target.stores, f"nothing was stored: refused {outcome.refused}"


@BY_ROUTE
def test_hostile_posts_through_the_whole_stack(objects, target):
    post_through_http(target, objects)

    assert_training_consistent()
    every_row_has_history()


# The evaluation report over a period (test_training_report_period) -----------------------------------

PERIOD_REPORT = "/reports/request/training_evaluation/0/"


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_period_the_results_page_refuses_is_said_and_queues_no_report(objects, htmx):
    client = Client()
    client.force_login(objects.world.director)
    before = ReportJob.objects.count()

    response = client.post(
        PERIOD_REPORT,
        {"start": today().isoformat(), "end": days_from_today(-1), "by": "month"},
        headers={"HX-Request": "true"} if htmx else {},
    )

    refusal = escape("The period ends before it starts.")
    if htmx:
        assert (response.status_code, refusal in response.text) == (422, True)
    else:
        shown = [escape(m.message) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]
        assert (response.status_code, response["Location"], shown) == (302, "/", [refusal])
    assert ReportJob.objects.count() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_period_the_results_page_takes_queues_one_report_of_it(objects, htmx):
    client = Client()
    client.force_login(objects.world.director)
    before = ReportJob.objects.count()

    response = client.post(
        PERIOD_REPORT,
        {"start": days_from_today(-90), "end": today().isoformat(), "by": ""},
        headers={"HX-Request": "true"} if htmx else {},
    )

    assert response.status_code == (200 if htmx else 302)
    made = ReportJob.objects.order_by("pk")[before:]
    asked = {"start": days_from_today(-90), "end": today().isoformat(), "by": "quarter"}
    assert [(job.kind, job.parameters) for job in made] == [("training_evaluation", asked)]


# The results' period on the results page (test_training_results_filter) ------------------------------


def test_the_results_page_answers_a_refused_period_with_its_message(objects):
    client = Client()
    client.force_login(objects.world.supervisor)

    response = client.get("/training/results/", {"start": days_from_today(-4000), "end": today().isoformat()})

    assert response.status_code == 422
    assert escape("Choose a period of at most ten years.") in response.text
