"""Real records of every kind, made through the services around the world's two cases.

The access matrix names them in its URLs; the hostile-input tests post against them; the
escaping test fills their text with markup and opens every page that shows them.
"""

from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from assistance.services import requests as request_services
from bloom.audit.models import AccessLogEntry
from bloom.directory.models import Organization
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify
from bloom.reports.models import ReportJob
from bloom.reports.services import request_report
from cases.models import Case, Closure, FamilyMember
from cases.services import add_family_member, save_safety_plan, start_intake
from cases.services.contacts import log_contact
from cases.services.sharing import add_document, make_referral, record_release
from outreach import services as outreach_services
from phases.services import budget as budget_services
from phases.services import goals as goal_services
from tests.cases.sharing_files import pdf_bytes, pdf_upload
from tests.conftest import World
from tests.factories import (
    ask_money,
    ask_to_close,
    close_case,
    default_instrument,
    enter_survey,
    give_kit,
    hand_off,
    log_outreach,
    make_case,
    make_curriculum,
    make_event,
    make_fund,
    make_town,
    make_trainer,
    make_volunteer,
    pay_money,
    plan_moved_on,
    shelter_stay,
    template_copy,
    waiting_review,
)
from training import services as training_services
from training.models import Attendee, Curriculum, SurveyInstrument, SurveyResponse, Trainer, TrainingEvent


@dataclass
class Objects:
    """Real records of every kind around the world's two cases: what the routes' parameters name."""

    world: World
    notification: Notification
    foreign_notification: Notification
    job: ReportJob
    done_job: ReportJob  # its file stored as a worker would have left it
    group: Group
    town: object
    organization: Organization
    log_entry: AccessLogEntry
    device: TOTPDevice
    attempt: AccessAttempt
    access_log: AccessLog
    failure_log: AccessFailureLog
    family_member: FamilyMember
    intake: Case  # a draft intake on case A's team, assigned to the same specialist
    contact: object  # a contact logged on case A by its specialist
    document: object  # a PDF kept on case A by its specialist
    release: object  # an active release on case A
    referral: object  # a referral out from case A to the directory's "Legal aid"
    closure: Closure  # waiting for approval, asked for by the specialist, on another case of team A
    closed: Closure  # approved: its case, assigned to the specialist on team A, is closed
    safety_plan: object  # version 1 of case A's safety plan, saved by its specialist
    phase_template: object  # a copy of the template in use, which no case plan follows
    journey_plan: object  # a plan on another case of team A (the specialist's), moved on to its second phase
    journey_review: object  # a move waiting for sign-off, asked for by the specialist, on a third case of team A
    goal: object  # a goal on case A, set by its specialist
    step: object  # an action step towards that goal
    budget_month: object  # this month's budget worksheet on case A
    fund: object  # a fund set up by the director, paying for rent and food
    waiting_request: object  # money for case A asked by its specialist, not yet approved
    approved_request: object  # approved by the supervisor, waiting for payment
    paid_request: object  # paid by finance, with its receipt
    unreceipted_request: object  # paid by finance, receipt not yet kept
    in_kind_item: object  # a hygiene kit given on case A
    stay: object  # case A's open emergency shelter stay
    volunteer_record: object  # an active volunteer who signs in as the world's volunteer
    session: object  # an outreach session led by the outreach worker, with that volunteer on its team
    other_session: object  # an earlier session by the same worker, without the volunteer
    partnership: object  # a referral with the directory's "Legal aid", recorded by the outreach worker
    intake_request: object  # a request for help passed from the session to team A's intake, waiting
    curriculum: Curriculum  # made by the trainer
    course_trainer: Trainer  # certified (as a trainer) to teach that curriculum
    training_event: TrainingEvent  # of that curriculum, taught by that trainer, ended an hour ago
    attendee: Attendee  # on the event's sign-in list
    pre_response: SurveyResponse  # a paper survey before the training, typed in by the trainer
    post_response: SurveyResponse  # and one after it
    survey: SurveyInstrument  # the default survey, which the event uses
    draft_survey: SurveyInstrument  # its second version, which no event uses yet


def build_objects(world: World) -> Objects:
    """Every kind of record around the world's two cases, made through the services."""
    world.administrator.groups.add(Group.objects.get(name="administrator"))
    job, _case = request_report(by=world.specialist, kind="case_face_sheet", target_id=world.case_a.pk)
    return Objects(
        world=world,
        notification=overdue(world.specialist, world.case_a),
        foreign_notification=overdue(world.outsider, world.case_b),
        job=job,
        done_job=finished(request_report(by=world.specialist, kind="case_face_sheet", target_id=world.case_a.pk)[0]),
        group=Group.objects.get(name="specialist"),
        town=make_town(),
        organization=Organization.objects.create(name="Legal aid"),
        log_entry=AccessLogEntry.objects.create(
            user=world.specialist,
            action=AccessLogEntry.Action.VIEW,
            target_type=ContentType.objects.get_for_model(world.case_a),
            target_id=world.case_a.pk,
            target_label="BL-TEST",
        ),
        device=TOTPDevice.objects.create(user=world.administrator, name="phone"),
        attempt=AccessAttempt.objects.create(username="x@example.org", failures_since_start=1),
        access_log=AccessLog.objects.create(username="x@example.org"),
        failure_log=AccessFailureLog.objects.create(username="x@example.org"),
        family_member=add_family_member(world.case_a, by=world.specialist, name="Lena", relationship="Daughter"),
        intake=start_intake(
            by=world.specialist,
            team=world.team_a,
            specialists=[world.specialist],
            details={"legal_name": "Ines Intake", "estimated_age": 30},
        ),
        contact=log_contact(
            world.case_a,
            by=world.specialist,
            kind="phone",
            occurred_at=timezone.now(),
            initiated_by="staff",
        ),
        document=add_document(
            world.case_a, by=world.specialist, kind="identification", title="State ID", upload=pdf_upload("id.pdf")
        ),
        release=record_release(
            world.case_a,
            by=world.specialist,
            organization=None,
            recipient="Dr. Reyes",
            information=["health"],
            purpose="Care coordination",
            signed_on=timezone.localdate(),
            expires_on=timezone.localdate() + timedelta(days=90),
        ),
        referral=make_referral(
            world.case_a,
            by=world.specialist,
            direction="out",
            organization=Organization.objects.get(name="Legal aid"),
            service_type="immigration legal aid",
            made_on=timezone.localdate(),
            note="",
            share_identifying=False,
        ).referral,
        closure=ask_to_close(make_case(team=world.team_a, specialists=[world.specialist]), by=world.specialist),
        closed=close_case(
            make_case(team=world.team_a, specialists=[world.specialist]), by=world.specialist, approver=world.supervisor
        ),
        safety_plan=save_safety_plan(
            world.case_a,
            by=world.specialist,
            risks=[],
            people=[{"name": "Marisol", "relationship": "Cousin", "phone": "860-555-0101"}],
            places=[],
            review_on=timezone.localdate() + timedelta(days=30),
        ),
        phase_template=template_copy(world),
        journey_plan=plan_moved_on(world),
        journey_review=waiting_review(world),
        goal=(
            goal := goal_services.set_goal(
                world.case_a, by=world.specialist, in_own_words="A place of my own", domain="housing"
            )
        ),
        step=goal_services.add_step(goal, by=world.specialist, description="Call the housing office", owner="survivor"),
        budget_month=budget_services.start_budget_month(world.case_a, by=world.specialist, month=timezone.localdate()),
        **assistance_objects(world),
        **outreach_objects(world),
        **training_objects(world),
    )


def assistance_objects(world: World) -> dict:
    """A fund and case A's requests at each step, a hygiene kit and a shelter stay, through the services."""
    fund = make_fund(world.director)

    def approved():
        asked = ask_money(world.case_a, world.specialist, fund)
        return request_services.approve(asked, by=world.supervisor)

    def paid(receipt=None):
        asked = approved()
        pay_money(asked, world.finance, receipt=receipt)
        return asked

    return {
        "fund": fund,
        "waiting_request": ask_money(world.case_a, world.specialist, fund),
        "approved_request": approved(),
        "paid_request": paid(receipt=pdf_upload("receipt.pdf")),
        "unreceipted_request": paid(),
        "in_kind_item": give_kit(world.case_a, world.specialist),
        "stay": shelter_stay(world.case_a, world.specialist),
    }


def outreach_objects(world: World) -> dict:
    """A volunteer who signs in, two sessions (one with them on it), a partnership activity and a
    request for help waiting in team A's queue, through the services."""
    volunteer = make_volunteer(world.outreach, full_name="Val Volunteer", user=world.volunteer)
    earlier = timezone.now().replace(microsecond=0) - timedelta(days=7)
    session = log_outreach(world.outreach, volunteers=[volunteer])
    activity = outreach_services.record_partnership(
        None,
        by=world.outreach,
        details=outreach_services.PartnershipDetails(
            organization=Organization.objects.get(name="Legal aid"), kind="referral", on=timezone.localdate()
        ),
    )
    return {
        "volunteer_record": volunteer,
        "session": session,
        "other_session": log_outreach(world.outreach, starts_at=earlier),
        "partnership": activity,
        "intake_request": hand_off(session, world.outreach, world.team_a),
    }


def training_objects(world: World) -> dict:
    """A curriculum, a trainer certified for it, an event of it (on the default survey, ended an hour
    ago, so its survey after the training is open) with an attendee and a paper survey before and
    after, and a second version of the default survey, through the services."""
    by = world.trainer
    curriculum = make_curriculum(by)
    trainer = make_trainer(by, curricula=[curriculum])
    event = make_event(by, curriculum=curriculum, trainers=[trainer])
    return {
        "curriculum": curriculum,
        "course_trainer": trainer,
        "training_event": event,
        "attendee": training_services.add_attendee(event, by=by, details={"full_name": "Ada Attendee"}),
        "pre_response": enter_survey(event, by, phase="pre"),
        "post_response": enter_survey(event, by, phase="post"),
        "survey": default_instrument(),
        "draft_survey": training_services.revise(default_instrument(), by=by),
    }


def overdue(recipient, case) -> Notification:
    key = f"overdue:{case.pk}"
    notify(
        [
            Notice(
                recipient_id=recipient.pk,
                kind=Notification.Kind.CONTACT_OVERDUE,
                data={"code": case.survivor.client_code, "since": "2026-01-05"},
                url=case.get_absolute_url(),
                dedupe_key=key,
            )
        ]
    )
    return Notification.objects.get(recipient=recipient, dedupe_key=key)


def finished(job: ReportJob) -> ReportJob:
    """``job`` done, with a small PDF as its file: what a worker leaves, without rendering a real one."""
    job.file.save(f"{job.public_id}.pdf", ContentFile(pdf_bytes()), save=False)
    job.filename, job.status, job.progress, job.finished = "face-sheet.pdf", ReportJob.Status.DONE, 100, timezone.now()
    job.save()
    return job
