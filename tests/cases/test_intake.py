"""Intake services: eligibility, the supervisor's override, the outcome, screening versions, minors."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from bloom.accounts.models import Role
from bloom.accounts.services import set_team_supervisors
from bloom.notifications.models import Notification
from cases import amp, eligibility, queries, services, tasks
from cases.eligibility import Check, Eligibility, Outcome
from cases.models import Case, FamilyMember, MandatedReport, NotEnrolledReason, ProgramSettings, Screening
from tests.factories import make_team, make_town, make_user

SEX_TRAFFICKING = {"actions": ["recruits"], "means": ["physical assault"], "purposes": ["commercial sex"]}
CARELINE_DUE = "careline report due"


def born(years_ago: int) -> date:
    """A date of birth that makes someone exactly ``years_ago`` old today (birthday already passed)."""
    today = timezone.localdate()
    return date(today.year - years_ago, today.month, min(today.day, 28))


def intake(world, *, team=None, specialists=None, opened_on=None, referral=None, **details) -> Case:
    details.setdefault("legal_name", "Ines Intake")
    return services.start_intake(
        by=world.specialist,
        team=team or world.team_a,
        specialists=[world.specialist] if specialists is None else specialists,
        details=details,
        referral=referral,
        opened_on=opened_on,
    )


def eligible_intake(world, **kwargs) -> Case:
    """An adult living in the service area whose screening found sex trafficking."""
    kwargs.setdefault("estimated_age", 30)
    case = intake(world, town=make_town("Hartford"), **kwargs)
    screen(case, by=world.specialist, answers=SEX_TRAFFICKING)
    return case


def screen(case, *, by, answers, context=None, sensitive_allowed=True) -> Screening:
    return services.record_screening(
        case, by=by, answers=answers, context=context or {}, sensitive_allowed=sensitive_allowed
    )


def latest_history(case):
    return Case.history.filter(id=case.pk).latest("history_id")


def careline_notifications(case):
    rows = Notification.objects.filter(kind=CARELINE_DUE, dedupe_key__startswith=f"careline:{case.pk}:")
    return list(rows.order_by("recipient__full_name", "dedupe_key").values_list("recipient", "dedupe_key"))


# Eligibility: the pure rules ---------------------------------------------------------------

AREA = ["Hartford", "Windsor"]
HARTFORD = eligibility.Town("Hartford", in_service_area=True)


def assessed(**overrides) -> tuple[Check, ...]:
    arguments = {
        "age": 30,
        "age_is_estimated": False,
        "town": HARTFORD,
        "service_area": AREA,
        "determination": amp.Determination.SEX,
        "minimum_age": 16,
    }
    return eligibility.assess(**{**arguments, **overrides})


@pytest.mark.parametrize(
    ("age", "estimated", "expected"),
    [
        (15, False, Check("Age", False, "15 is under the program's minimum age of 16.")),
        (15, True, Check("Age", False, "15 is under the program's minimum age of 16.")),
        (16, False, Check("Age", True, "16, at or over the minimum age of 16.")),
        (16, True, Check("Age", True, "About 16 (estimated), at or over the minimum age of 16.")),
        (None, False, Check("Age", None, "Their date of birth or an estimated age is needed.")),
    ],
)
def test_assess_age_against_the_minimum(age, estimated, expected):
    checks = assessed(age=age, age_is_estimated=estimated)

    assert checks[0] == expected


@pytest.mark.parametrize(
    ("town", "expected"),
    [
        (HARTFORD, Check("Service area", True, "Hartford is in the service area.")),
        (
            eligibility.Town("Enfield", in_service_area=False),
            Check("Service area", False, "Enfield is outside the service area (Hartford, Windsor)."),
        ),
        (None, Check("Service area", None, "Their town is needed. The service area is Hartford, Windsor.")),
    ],
)
def test_assess_town_against_the_service_area(town, expected):
    checks = assessed(town=town)

    assert checks[1] == expected


@pytest.mark.parametrize(
    ("determination", "expected"),
    [
        ("sex", Check("Trafficking situation", True, "The screening found: Sex trafficking.")),
        ("labor", Check("Trafficking situation", True, "The screening found: Labor trafficking.")),
        ("both", Check("Trafficking situation", True, "The screening found: Sex and labor trafficking.")),
        (
            "not met",
            Check("Trafficking situation", False, "The screening found the criteria for trafficking were not met."),
        ),
        ("uncertain", Check("Trafficking situation", None, "The screening is uncertain; a supervisor can decide.")),
        (None, Check("Trafficking situation", None, "No screening yet.")),
    ],
)
def test_assess_trafficking_from_the_determination(determination, expected):
    checks = assessed(determination=determination)

    assert checks[2] == expected


@pytest.mark.parametrize(
    ("overrides", "outcome"),
    [
        ({}, Outcome.ELIGIBLE),
        ({"age": 15}, Outcome.NOT_ELIGIBLE),
        ({"town": None}, Outcome.INCOMPLETE),
        ({"age": 15, "town": None}, Outcome.NOT_ELIGIBLE),
        ({"determination": "uncertain"}, Outcome.INCOMPLETE),
    ],
)
def test_eligibility_outcome_follows_the_checks(overrides, outcome):
    result = Eligibility(checks=assessed(**overrides))

    assert (result.rules_outcome, result.outcome, result.eligible) == (outcome, outcome, outcome == Outcome.ELIGIBLE)


def test_an_overridden_eligibility_is_eligible_whatever_the_rules_say():
    result = Eligibility(checks=assessed(age=12), overridden=True, override_reason="Siblings served together.")

    assert (result.rules_outcome, result.outcome, result.eligible) == (Outcome.NOT_ELIGIBLE, Outcome.ELIGIBLE, True)


# Eligibility of a case: the program's settings and the directory ------------------------


# Run again at awkward instants (tests/clock.py): an age is counted from the date of birth to today.
@pytest.mark.clock
def test_eligibility_of_a_case_uses_the_programs_minimum_age(world):
    case = eligible_intake(world, estimated_age=None, date_of_birth=born(17))
    before = queries.eligibility(case)
    program = ProgramSettings.load()
    program.minimum_age = 18
    program.save()

    after = queries.eligibility(Case.objects.get(pk=case.pk))

    assert (before.eligible, before.checks[0].met) == (True, True)
    assert (after.eligible, after.outcome) == (False, Outcome.NOT_ELIGIBLE)
    assert after.checks[0] == Check("Age", False, "17 is under the program's minimum age of 18.")


def test_eligibility_of_a_case_uses_the_towns_of_the_service_area(world):
    make_town("Windsor")
    make_town("Enfield", in_service_area=False)
    case = eligible_intake(world)
    hartford = case.survivor.town
    before = queries.eligibility(case)
    hartford.in_service_area = False
    hartford.save()

    after = queries.eligibility(Case.objects.get(pk=case.pk))

    assert before.checks[1] == Check("Service area", True, "Hartford is in the service area.")
    assert after.checks[1] == Check("Service area", False, "Hartford is outside the service area (Windsor).")
    assert after.eligible is False


def test_eligibility_of_a_case_uses_its_latest_screening(world):
    case = eligible_intake(world)
    screen(case, by=world.specialist, answers={"unsure": ["action", "means", "purpose"]})

    result = queries.eligibility(case)

    assert result.checks[2] == Check(
        "Trafficking situation", None, "The screening is uncertain; a supervisor can decide."
    )
    assert result.outcome == Outcome.INCOMPLETE


# The supervisor's override ---------------------------------------------------------------


def test_override_eligibility_makes_the_survivor_eligible_and_keeps_the_reason(world):
    case = intake(world, estimated_age=30, town=make_town("Enfield", in_service_area=False))

    services.override_eligibility(case, by=world.supervisor, reason="  Moving to Hartford next week.  ")

    case.refresh_from_db()
    row = latest_history(case)
    result = queries.eligibility(case)
    assert (case.eligibility_overridden, case.eligibility_override_reason, case.eligibility_overridden_by) == (
        True,
        "Moving to Hartford next week.",
        world.supervisor,
    )
    assert (result.rules_outcome, result.eligible, result.overridden_by) == (
        Outcome.NOT_ELIGIBLE,
        True,
        "Sue Supervisor",
    )
    assert (row.history_change_reason, row.history_user, row.eligibility_override_reason) == (
        "case.eligibility_decided",
        world.supervisor,
        "Moving to Hartford next week.",
    )


def test_a_specialist_cannot_override_eligibility(world):
    case = intake(world, estimated_age=30)
    rows = Case.history.filter(id=case.pk).count()

    with pytest.raises(PermissionDenied):
        services.override_eligibility(case, by=world.specialist, reason="I think so.")

    case.refresh_from_db()
    assert (case.eligibility_overridden, Case.history.filter(id=case.pk).count()) == (False, rows)


@pytest.mark.parametrize("persona", ["colleague", "outsider", "finance", "outreach"])
def test_others_cannot_override_eligibility(world, persona):
    case = intake(world, estimated_age=30)

    with pytest.raises(PermissionDenied):
        services.override_eligibility(case, by=world.everyone()[persona], reason="Because.")


def test_override_eligibility_needs_a_reason(world):
    case = intake(world, estimated_age=30)

    with pytest.raises(services.IntakeError) as error:
        services.override_eligibility(case, by=world.supervisor, reason="   ")

    case.refresh_from_db()
    assert error.value.messages == ["Write the reason for the decision."]
    assert (case.eligibility_overridden, case.eligibility_override_reason) == (False, "")


def test_override_eligibility_of_an_enrolled_case_is_refused(world):
    with pytest.raises(services.IntakeError) as error:
        services.override_eligibility(world.case_a, by=world.supervisor, reason="Already served.")

    world.case_a.refresh_from_db()
    assert error.value.messages == ["The survivor is already enrolled."]
    assert world.case_a.eligibility_overridden is False


# The outcome: enrolled or not --------------------------------------------------------------


def test_enroll_an_eligible_survivor_opens_the_case(world):
    case = eligible_intake(world, opened_on=timezone.localdate() - timedelta(days=3))
    on = timezone.localdate() - timedelta(days=1)

    services.enroll(case, by=world.specialist, on=on)

    case.refresh_from_db()
    row = latest_history(case)
    assert (case.status, case.decided_on, case.is_open) == (Case.Status.OPEN, on, True)
    assert (row.history_change_reason, row.history_user, row.status) == ("case.enrolled", world.specialist, "open")


def test_enroll_is_refused_when_not_eligible(world):
    make_town("Hartford")
    case = intake(world, estimated_age=30, town=make_town("Enfield", in_service_area=False))
    screen(case, by=world.specialist, answers=SEX_TRAFFICKING)
    rows = Case.history.filter(id=case.pk).count()

    with pytest.raises(services.IntakeError) as error:
        services.enroll(case, by=world.specialist, on=timezone.localdate())

    case.refresh_from_db()
    assert error.value.messages == [
        "The survivor cannot be enrolled yet: Enfield is outside the service area (Hartford). "
        "A supervisor can decide otherwise, with a reason."
    ]
    assert (case.status, case.decided_on, Case.history.filter(id=case.pk).count()) == ("intake", None, rows)


def test_enroll_is_refused_before_screening(world):
    case = intake(world, estimated_age=30, town=make_town("Hartford"))

    with pytest.raises(services.IntakeError):
        services.enroll(case, by=world.specialist, on=timezone.localdate())

    case.refresh_from_db()
    assert (case.status, case.decided_on) == ("intake", None)


# Run again at awkward instants (tests/clock.py): the outcome is dated from the intake date to today.
@pytest.mark.clock
@pytest.mark.parametrize(
    ("days_from_today", "message"),
    [
        (-6, "The outcome cannot come before the intake date."),
        (1, "The outcome date cannot be in the future."),
    ],
)
def test_enroll_is_refused_outside_intake_date_to_today(world, days_from_today, message):
    case = eligible_intake(world, opened_on=timezone.localdate() - timedelta(days=5))

    with pytest.raises(services.IntakeError) as error:
        services.enroll(case, by=world.specialist, on=timezone.localdate() + timedelta(days=days_from_today))

    case.refresh_from_db()
    assert error.value.messages == [message]
    assert (case.status, case.decided_on) == ("intake", None)


@pytest.mark.clock
def test_enroll_on_the_intake_date_itself_is_allowed(world):
    opened = timezone.localdate() - timedelta(days=5)
    case = eligible_intake(world, opened_on=opened)

    services.enroll(case, by=world.specialist, on=opened)

    case.refresh_from_db()
    assert (case.status, case.decided_on) == ("open", opened)


def test_enroll_after_a_supervisors_override(world):
    case = intake(world, estimated_age=15)  # under the age floor, no town, no screening
    services.override_eligibility(case, by=world.supervisor, reason="Sibling of an enrolled survivor.")

    services.enroll(case, by=world.specialist, on=timezone.localdate())

    case.refresh_from_db()
    reasons = list(
        Case.history.filter(id=case.pk).order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert (case.status, case.decided_on) == ("open", timezone.localdate())
    assert reasons[-2:] == ["case.eligibility_decided", "case.enrolled"]


def test_enroll_an_enrolled_case_is_refused(world):
    with pytest.raises(services.IntakeError) as error:
        services.enroll(world.case_a, by=world.specialist, on=timezone.localdate())

    assert error.value.messages == ["The survivor is already enrolled."]


@pytest.mark.parametrize("reason", NotEnrolledReason.values)
def test_record_not_enrolled_keeps_the_reason(world, reason):
    case = intake(world, opened_on=timezone.localdate() - timedelta(days=2))
    on = timezone.localdate() - timedelta(days=1)

    services.record_not_enrolled(case, by=world.specialist, reason=reason, note="Talked on the phone.", on=on)

    case.refresh_from_db()
    row = latest_history(case)
    assert (case.status, case.not_enrolled_reason, case.outcome_note, case.decided_on) == (
        Case.Status.NOT_ENROLLED,
        reason,
        "Talked on the phone.",
        on,
    )
    assert (row.history_change_reason, row.history_user, row.not_enrolled_reason) == (
        "case.not_enrolled",
        world.specialist,
        reason,
    )


def test_record_not_enrolled_needs_a_known_reason(world):
    case = intake(world)

    with pytest.raises(services.IntakeError) as error:
        services.record_not_enrolled(case, by=world.specialist, reason="", note="", on=timezone.localdate())

    case.refresh_from_db()
    assert error.value.messages == ["Choose why the survivor was not enrolled."]
    assert (case.status, case.not_enrolled_reason) == ("intake", "")


def test_enrolling_a_survivor_who_was_not_enrolled_clears_the_reason(world):
    case = eligible_intake(world)
    services.record_not_enrolled(
        case, by=world.specialist, reason=NotEnrolledReason.UNREACHABLE, note="", on=timezone.localdate()
    )

    services.enroll(case, by=world.specialist, on=timezone.localdate())

    case.refresh_from_db()
    row = latest_history(case)
    assert (case.status, case.not_enrolled_reason) == ("open", "")
    assert (row.history_change_reason, row.not_enrolled_reason) == ("case.enrolled", "")


# Screening versions -------------------------------------------------------------------------


def test_record_screening_twice_keeps_both_versions(world):
    case = intake(world, estimated_age=30)
    labor = {"actions": ["harbors"], "means": ["debt bondage"], "purposes": ["labor"]}

    first = screen(case, by=world.specialist, answers=SEX_TRAFFICKING)
    second = screen(case, by=world.colleague, answers=labor)

    rows = list(case.screenings.order_by("version").values_list("version", "determination", "screened_by"))
    history = list(
        Screening.history.filter(case_id=case.pk)
        .order_by("history_id")
        .values_list("version", "history_change_reason", "history_user")
    )
    assert rows == [(1, "sex", world.specialist.pk), (2, "labor", world.colleague.pk)]
    assert history == [
        (1, "screening.saved|[1]", world.specialist.pk),
        (2, "screening.saved|[2]", world.colleague.pk),
    ]
    assert (first.determination, second.determination) == (
        amp.determine(first.answers()).determination,
        amp.determine(second.answers()).determination,
    )
    assert queries.latest_screening(case) == second


@pytest.mark.parametrize(
    "answers",
    [
        SEX_TRAFFICKING,
        {"actions": ["harbors", "solicits"], "means": ["debt bondage"], "purposes": ["labor", "commercial sex"]},
        {"actions": ["advertises"], "purposes": ["labor"]},
        {"purposes": ["commercial sex"], "unsure": ["action", "means"]},
    ],
)
def test_record_screening_stores_the_determination_of_its_answers(world, answers):
    case = intake(world, estimated_age=30)

    screening = screen(case, by=world.specialist, answers=answers)

    stored = Screening.objects.get(pk=screening.pk)
    expected = amp.determine(
        amp.Answers(
            actions=frozenset(answers.get("actions", [])),
            means=frozenset(answers.get("means", [])),
            purposes=frozenset(answers.get("purposes", [])),
            unsure=frozenset(answers.get("unsure", [])),
            minor=None,
        )
    )
    assert stored.determination == expected.determination


def test_a_screening_without_the_sensitive_permission_keeps_the_earlier_sensitive_answers(world):
    case = intake(world, estimated_age=30)
    screen(
        case,
        by=world.specialist,
        answers=SEX_TRAFFICKING,
        context={"narrative": "Left in March with a friend's help.", "trafficker_in_contact": True},
    )

    second = screen(
        case,
        by=world.colleague,
        answers=SEX_TRAFFICKING,
        context={"narrative": "", "trafficker_in_contact": False, "location": "Springfield, MA"},
        sensitive_allowed=False,
    )

    stored = Screening.objects.get(pk=second.pk)
    first = case.screenings.get(version=1)
    assert (stored.version, stored.narrative, stored.trafficker_in_contact, stored.location) == (
        2,
        "Left in March with a friend's help.",
        True,
        "Springfield, MA",
    )
    assert (first.narrative, first.trafficker_in_contact) == ("Left in March with a friend's help.", True)


def test_a_first_screening_without_the_sensitive_permission_stores_no_sensitive_answers(world):
    case = intake(world, estimated_age=30)

    screening = screen(
        case,
        by=world.specialist,
        answers=SEX_TRAFFICKING,
        context={"narrative": "Typed anyway.", "trafficker_in_contact": True},
        sensitive_allowed=False,
    )

    stored = Screening.objects.get(pk=screening.pk)
    assert (stored.narrative, stored.trafficker_in_contact) == ("", None)


# Run again at awkward instants (tests/clock.py): an age is counted from the date of birth to today.
@pytest.mark.clock
@pytest.mark.parametrize(
    ("age_at_intake", "age_at_first_exploitation", "minor"),
    [
        (30, 15, True),
        (30, 17, True),
        (30, 18, False),
        (30, None, None),
        (16, None, True),
        (16, 14, True),
    ],
)
def test_screening_minor_at_exploitation(world, age_at_intake, age_at_first_exploitation, minor):
    case = intake(world, date_of_birth=born(age_at_intake))

    screening = screen(
        case,
        by=world.specialist,
        answers={"actions": ["recruits"], "purposes": ["commercial sex"]},
        context={"age_at_first_exploitation": age_at_first_exploitation},
    )

    stored = Screening.objects.get(pk=screening.pk)
    assert stored.minor is minor
    assert stored.determination == ("sex" if minor else "uncertain" if minor is None else "not met")


def test_an_empty_screening_is_refused_and_stores_nothing(world):
    case = intake(world, estimated_age=30)

    with pytest.raises(amp.EmptyScreening):
        screen(
            case,
            by=world.specialist,
            answers={"actions": [], "means": [], "purposes": [], "unsure": []},
            context={"location": "Hartford", "narrative": "Nothing yet."},
        )

    assert (Screening.objects.filter(case=case).count(), Screening.history.filter(case_id=case.pk).count()) == (0, 0)


# Minors: the DCF Careline report -------------------------------------------------------------


@pytest.fixture
def second_supervisor(world):
    supervisor = make_user(Role.SUPERVISOR, full_name="Tess Supervisor")
    set_team_supervisors(world.team_a, supervisors=[world.supervisor, supervisor], by=None)
    return supervisor


# Run again at awkward instants (tests/clock.py): a minor is told by age on the intake date, and reminded of once a day.
@pytest.mark.clock
def test_intake_of_a_minor_tells_each_supervisor_once(world, second_supervisor):
    today = timezone.localdate()

    case = intake(world, legal_name="Yara Young", date_of_birth=born(16))

    rows = list(Notification.objects.order_by("recipient__full_name").values_list("recipient", "kind", "url"))
    url = reverse("cases:detail", args=[case.pk])
    assert case.minor_at_intake is True
    assert rows == [
        (world.supervisor.pk, CARELINE_DUE, url),
        (second_supervisor.pk, CARELINE_DUE, url),
    ]
    assert [n.data for n in Notification.objects.all()] == [
        {"code": case.survivor.client_code, "since": today.isoformat()},
        {"code": case.survivor.client_code, "since": today.isoformat()},
    ]
    text = Notification.objects.filter(recipient=world.supervisor).get().text
    assert case.survivor.client_code in text
    assert "Yara" not in text


@pytest.mark.clock
def test_careline_reminders_once_a_day_until_reported(world, second_supervisor):
    case = intake(world, date_of_birth=born(16))
    tomorrow = timezone.localdate() + timedelta(days=1)

    sent = services.send_careline_reminders(today=tomorrow)
    again = services.send_careline_reminders(today=tomorrow)

    per_supervisor = [
        Notification.objects.filter(recipient=s, kind=CARELINE_DUE).count()
        for s in (world.supervisor, second_supervisor)
    ]
    assert (sent, again) == (2, 0)
    assert per_supervisor == [2, 2]
    assert list(queries.careline_reports_due(Case.objects.all())) == [case]


@pytest.mark.clock
def test_recording_the_careline_report_settles_the_reminders(world, second_supervisor):
    case = intake(world, date_of_birth=born(16))
    services.send_careline_reminders(today=timezone.localdate() + timedelta(days=1))

    report = services.record_mandated_report(
        case,
        by=world.specialist,
        kind=MandatedReport.Kind.CARELINE,
        made_at=timezone.now() - timedelta(hours=1),
        made_by="Sam Specialist",
        reference="CL-2026-0042",
        notes="",
    )

    unread = Notification.objects.filter(kind=CARELINE_DUE, read_at__isnull=True).count()
    later = services.send_careline_reminders(today=timezone.localdate() + timedelta(days=2))
    row = MandatedReport.history.get(id=report.pk)
    assert (unread, Notification.objects.filter(kind=CARELINE_DUE).count(), later) == (0, 4, 0)
    assert list(queries.careline_reports_due(Case.objects.all())) == []
    assert queries.careline_report_due(case) is False
    assert (row.history_change_reason, row.history_user, row.reference) == (
        'mandated_report.recorded|["careline"]',
        world.specialist,
        "CL-2026-0042",
    )


@pytest.mark.clock
def test_settling_one_minors_reminders_leaves_anothers(world):
    first = intake(world, legal_name="First Minor", date_of_birth=born(16))
    second = intake(world, legal_name="Second Minor", date_of_birth=born(17))

    services.record_mandated_report(
        first,
        by=world.specialist,
        kind=MandatedReport.Kind.CARELINE,
        made_at=timezone.now(),
        made_by="Sam Specialist",
        reference="CL-1",
        notes="",
    )

    unread = list(Notification.objects.filter(read_at__isnull=True).values_list("dedupe_key", flat=True))
    assert unread == [f"careline:{second.pk}:{timezone.localdate().isoformat()}"]
    assert list(queries.careline_reports_due(Case.objects.all())) == [second]


@pytest.mark.clock
def test_an_mdt_referral_alone_does_not_stop_the_careline_reminders(world):
    case = intake(world, date_of_birth=born(17))

    services.record_mandated_report(
        case,
        by=world.specialist,
        kind=MandatedReport.Kind.MDT,
        made_at=timezone.now(),
        made_by="Sam Specialist",
        reference="",
        notes="Referred to the Hartford MDT.",
    )
    sent = services.send_careline_reminders(today=timezone.localdate() + timedelta(days=1))

    assert sent == 1
    assert Notification.objects.filter(kind=CARELINE_DUE, read_at__isnull=True).count() == 2
    assert list(queries.careline_reports_due(Case.objects.all())) == [case]


@pytest.mark.clock
def test_an_adults_intake_tells_nobody(world):
    case = intake(world, date_of_birth=born(18))

    sent = services.send_careline_reminders(today=timezone.localdate() + timedelta(days=1))

    assert (case.minor_at_intake, sent, Notification.objects.count()) == (False, 0, 0)
    assert list(queries.careline_reports_due(Case.objects.all())) == []


@pytest.mark.clock
def test_an_estimated_age_under_18_is_a_minor_at_intake(world):
    case = intake(world, estimated_age=17)

    assert case.minor_at_intake is True
    assert careline_notifications(case) == [
        (world.supervisor.pk, f"careline:{case.pk}:{timezone.localdate().isoformat()}")
    ]


@pytest.mark.clock
def test_a_birth_date_corrected_to_a_minors_starts_the_careline_flow(world):
    case = intake(world, legal_name="Nora Later", date_of_birth=born(30))

    services.update_case(case, by=world.specialist, details={"date_of_birth": born(16)}, referral={})

    case.refresh_from_db()
    row = latest_history(case)
    assert case.minor_at_intake is True
    assert (row.history_change_reason, row.history_user, row.minor_at_intake) == (
        'row.changed|[["minor_at_intake"]]',
        world.specialist,
        True,
    )
    assert careline_notifications(case) == [
        (world.supervisor.pk, f"careline:{case.pk}:{timezone.localdate().isoformat()}")
    ]


@pytest.mark.clock
def test_a_birth_date_corrected_to_an_adults_ends_the_careline_flow(world):
    case = intake(world, date_of_birth=born(16))

    services.update_case(case, by=world.specialist, details={"date_of_birth": born(25)}, referral={})

    sent = services.send_careline_reminders(today=timezone.localdate() + timedelta(days=1))
    case.refresh_from_db()
    assert (case.minor_at_intake, sent) == (False, 0)


@pytest.mark.clock
def test_a_minor_not_enrolled_still_needs_the_careline_report(world):
    # Under the age floor or referred elsewhere, a minor's suspected trafficking is still reported.
    case = intake(world, date_of_birth=born(14))
    services.record_not_enrolled(
        case, by=world.specialist, reason=NotEnrolledReason.UNDER_AGE, note="", on=timezone.localdate()
    )

    sent = services.send_careline_reminders(today=timezone.localdate() + timedelta(days=1))

    assert sent == 1
    assert list(queries.careline_reports_due(Case.objects.all())) == [case]


@pytest.mark.clock
def test_careline_reminder_task_reaches_a_supervisor_who_joined_later(world):
    team_c = make_team("Team C", members=[world.specialist])
    case = intake(world, team=team_c, date_of_birth=born(16))
    # With no supervisor yet, the assigned specialist is told, so the duty rests with someone.
    told_first = list(Notification.objects.values_list("recipient", flat=True))
    supervisor = make_user(Role.SUPERVISOR, full_name="Cy Supervisor")
    set_team_supervisors(team_c, supervisors=[supervisor], by=None)

    first = tasks.send_careline_reminders()
    second = tasks.send_careline_reminders()

    rows = list(Notification.objects.filter(recipient=supervisor).values_list("kind", "dedupe_key"))
    assert (told_first, first, second) == ([world.specialist.pk], 1, 0)
    assert rows == [(CARELINE_DUE, f"careline:{case.pk}:{timezone.localdate().isoformat()}")]


def test_careline_reminder_task_with_nothing_due_sends_nothing(world):
    assert tasks.send_careline_reminders() == 0
    assert Notification.objects.count() == 0


# Family members served -------------------------------------------------------------------------


def test_add_and_remove_a_family_member_keeps_history(world):
    case = intake(world)

    member = services.add_family_member(case, by=world.specialist, name="Luz Hermana", relationship="Sister")
    member_id = member.pk
    services.remove_family_member(member, by=world.colleague)

    rows = list(
        FamilyMember.history.filter(id=member_id)
        .order_by("history_id")
        .values_list("history_type", "history_change_reason", "history_user", "name")
    )
    assert list(case.family_members.all()) == []
    assert rows == [
        ("+", "family.added", world.specialist.pk, "Luz Hermana"),
        ("-", "family.removed", world.colleague.pk, "Luz Hermana"),
    ]


# Starting an intake ---------------------------------------------------------------------------


def test_start_intake_leaves_a_draft_with_history(world):
    case = intake(
        world,
        opened_on=timezone.localdate() - timedelta(days=1),
        referral={"referral_source": "hotline", "referred_on": timezone.localdate() - timedelta(days=2)},
        phone="(860) 555-0199",
    )

    case.refresh_from_db()
    row = Case.history.get(id=case.pk)
    assert (case.status, case.decided_on, case.referral_source, case.survivor.phone_digits) == (
        "intake",
        None,
        "hotline",
        "8605550199",
    )
    assert (row.history_type, row.history_change_reason, row.history_user) == (
        "+",
        "case.intake_started",
        world.specialist,
    )
    assert list(case.specialists.all()) == [world.specialist]


# The first match with a specialist (HHS's 48 hours) ---------------------------------------------


def test_an_intake_with_a_specialist_is_matched_on_its_intake_day(world):
    intake_day = timezone.localdate() - timedelta(days=2)

    case = services.start_intake(
        by=world.specialist,
        team=world.team_a,
        specialists=[world.specialist],
        details={"legal_name": "Mia Match"},
        opened_on=intake_day,
    )

    assert case.first_assigned_on == intake_day


def test_the_first_match_is_kept_through_reassignments(world):
    case = services.start_intake(by=world.supervisor, team=world.team_a, specialists=[], details={"legal_name": "Noa"})
    assert case.first_assigned_on is None

    services.assign_case(case, by=world.supervisor, specialists=[world.specialist])
    first = Case.objects.get(pk=case.pk).first_assigned_on
    services.assign_case(case, by=world.supervisor, specialists=[world.colleague])

    case.refresh_from_db()
    assert first == timezone.localdate()
    assert case.first_assigned_on == first
    assert case.history.filter(history_change_reason="case.first_assigned").count() == 1
