"""Who may use which URL: every route in the project, every persona, one declared table.

The test walks the URL resolver, so a new route that is not in ``MATRIX`` fails the build
until its author declares who may GET and POST it. Each request is made with real objects
around the two cases of the ``world`` fixture and rolled back afterwards, so a POST that
deletes or changes something never affects the next request. A POST is empty unless the
route gives a valid one (``Route.data``); ``EXAMPLES`` holds more URLs of routes already in
``MATRIX`` (the reports of each kind), checked the same way.

Outcomes are written as short codes:

* ``200``, ``403``, ``404``, ``405``: that status;
* ``login``: 302 to Bloom's sign-in page; ``admin-login``: 302 to the admin's sign-in page;
* ``302``: any other redirect (after a successful POST, say).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from bloom.reports.figures import fiscal_year_start
from cases.models import FunderCode, ProgramSettings, Service
from tests.objects import Objects
from training import queries as training_queries
from training.models import SurveyInstrument

PERSONAS = (
    "specialist",  # assigned to case A
    "colleague",  # same team, not assigned
    "supervisor",  # supervises team A
    "outsider",  # specialist on team B
    "director",
    "finance",
    "outreach",
    "volunteer",
    "trainer",
    "administrator",
    "anonymous",
)

STAFF = PERSONAS[:-1]


def row(default: str, **exceptions: str) -> dict[str, str]:
    """Every persona gets ``default`` except those named."""
    unknown = set(exceptions) - set(PERSONAS)
    assert not unknown, f"not personas: {unknown}"
    return {persona: exceptions.get(persona, default) for persona in PERSONAS}


@dataclass(frozen=True)
class Route:
    path: Callable[[Objects], str]
    GET: dict[str, str]
    POST: dict[str, str]
    # What the POST sends: nothing (a form is shown again with its messages), unless a valid post is
    # given to show who may really make the change.
    data: Callable[[Objects], dict] = lambda o: {}


SIGNED_IN_OK = row("200", anonymous="login")
SIGNED_IN_ONLY_GET = row("405", anonymous="login")
CASE_READERS = {"specialist", "supervisor", "director"}
CASE_A_GET = row("404", anonymous="login", **dict.fromkeys(CASE_READERS, "200"))
NOT_FOR_ROLE = row("404", anonymous="login")


def case_url(suffix: str = "") -> Callable[[Objects], str]:
    return lambda o: f"/cases/{o.world.case_a.pk}/{suffix}"


def admin_model(
    app_model: str, obj: Callable[[Objects], object], *, view: bool, add: bool, change: bool, delete: bool
) -> dict[str, Route]:
    """The standard admin routes of one model, from what the administrator role may do with it.

    Non-staff people are sent to the admin's sign-in page whatever they ask for. For the
    administrator each route follows the admin's own rules for the declared permissions:
    an empty POST to a form they may use is shown again with its errors (200).
    """
    app, model = app_model.split(".")
    base = f"admin/{app}/{model}/"

    def allowed(permitted: bool) -> str:
        return "200" if permitted else "403"

    def declare(path, get: str, post: str) -> Route:
        return Route(path, GET=row("admin-login", administrator=get), POST=row("admin-login", administrator=post))

    sees = view or change
    return {
        base: declare(lambda o: f"/{base}", allowed(sees), allowed(sees)),
        base + "add/": declare(lambda o: f"/{base}add/", allowed(add), allowed(add)),
        base + "<path:object_id>/history/": declare(
            lambda o: f"/{base}{obj(o).pk}/history/", allowed(sees), allowed(sees)
        ),
        base + "<path:object_id>/delete/": declare(
            lambda o: f"/{base}{obj(o).pk}/delete/", allowed(delete), "302" if delete else "403"
        ),
        base + "<path:object_id>/change/": declare(
            lambda o: f"/{base}{obj(o).pk}/change/", allowed(sees), allowed(change)
        ),
        # The bare object URL only redirects to its change page.
        base + "<path:object_id>/": declare(lambda o: f"/{base}{obj(o).pk}/", "302", "302"),
    }


def history_record(obj: Callable[[Objects], object]) -> Callable[[Objects], str]:
    """simple-history's page for one past version of an admin object."""

    def path(o: Objects) -> str:
        instance = obj(o)
        meta = instance._meta
        version = instance.history.earliest()
        return f"/admin/{meta.app_label}/{meta.model_name}/{instance.pk}/history/{version.history_id}/"

    return path


FUND_READERS = {"specialist", "colleague", "supervisor", "outsider", "director", "finance"}
FUND_GET = row("403", anonymous="login", **dict.fromkeys(FUND_READERS, "200"))
FUND_MANAGERS = row("403", anonymous="login", director="200", finance="200")
# A request is seen by those who see its case, and by finance (client code, amount and payee only).
REQUEST_GET = row("404", anonymous="login", **dict.fromkeys({*CASE_READERS, "finance"}, "200"))


def request_url(which: str, suffix: str = "") -> Callable[[Objects], str]:
    return lambda o: f"/assistance/requests/{getattr(o, which).pk}/{suffix}"


# Outreach: the outreach worker runs it; supervisors and the director follow the work.
OUTREACH_ONLY = row("403", anonymous="login", outreach="200")
OUTREACH_FOLLOWERS_GET = row("403", anonymous="login", outreach="200", supervisor="200", director="200")
# A session is out of sight (404) for the roles that do not follow the work, but for the volunteers on it.
SESSION_GET = row("404", anonymous="login", outreach="200", supervisor="200", director="200")
SESSION_CHANGERS = {**SESSION_GET, "supervisor": "403", "director": "403", "volunteer": "403"}
VOLUNTEER_GET = row("404", anonymous="login", outreach="200", director="200")
PARTNERSHIP_GET = row("404", anonymous="login", outreach="200", supervisor="200", director="200")
# Team A's intake queue: its specialists and supervisor, and the director (every team's).
INTAKE_QUEUE_WORKERS = {"specialist", "colleague", "supervisor", "director"}
INTAKE_REQUEST_GET = row("404", anonymous="login", **dict.fromkeys(INTAKE_QUEUE_WORKERS, "200"))
# The service catalogue holds no survivor: the program director manages it, anyone else is refused.
CATALOGUE = row("403", anonymous="login", director="200")


# Training: trainers run it; supervisors and the director follow it (events, curricula, trainers,
# survey versions, results). Nobody else holds a training permission: a list is a 403 for them,
# a record named in the URL a 404. Writes are posted valid (``data``), so a trainer's is stored (302).
TRAINING_FOLLOWERS = {"trainer", "supervisor", "director"}
TRAINING_LIST_GET = row("403", anonymous="login", **dict.fromkeys(TRAINING_FOLLOWERS, "200"))
TRAINING_ONLY = row("403", anonymous="login", trainer="200")
TRAINING_ONLY_WRITES = row("403", anonymous="login", trainer="302")
TRAINING_RECORD_GET = row("404", anonymous="login", **dict.fromkeys(TRAINING_FOLLOWERS, "200"))
TRAINING_RECORD_CHANGE = {**TRAINING_RECORD_GET, "supervisor": "403", "director": "403"}
TRAINING_RECORD_WRITES = {**TRAINING_RECORD_CHANGE, "trainer": "302"}
# The survey link's pages: the same for everyone, signed in or not.
SURVEY_LINK = row("200")
SURVEY_LINK_ONLY_GET = row("405")


def event_url(suffix: str = "") -> Callable[[Objects], str]:
    return lambda o: f"/training/events/{o.training_event.pk}/{suffix}"


def event_post(o: Objects) -> dict:
    """A valid event: this morning, taught by the certified trainer, on the default survey."""
    return {
        "curriculum": o.curriculum.pk,
        "day": timezone.localdate().isoformat(),
        "starts": "09:00",
        "ends": "12:00",
        "trainers": [o.course_trainer.pk],
        "audience": "general",
        "instrument": o.survey.pk,
    }


def first_item_post(instrument: SurveyInstrument, **fields) -> dict:
    """A survey with only its first item answered, which is enough."""
    construct, items = training_queries.survey_layout(instrument)[0]
    return {**fields, f"item_{items[0].pk}": str(construct.scale_min)}


def wording_post(instrument: SurveyInstrument) -> dict:
    """Every title, question and item of ``instrument``, as its wording form posts them."""
    data = {}
    for construct, items in training_queries.survey_layout(instrument):
        data |= {f"title_{construct.pk}": construct.title, f"question_{construct.pk}": construct.question}
        data |= {f"item_{item.pk}": f"{item.text} (reworded)" for item in items}
    return data


def last_fiscal_year() -> dict:
    """A funder report's period: the last complete federal fiscal year (October to September),
    over every case; every report may be made for it."""
    start = fiscal_year_start(timezone.localdate())
    return {"start": start.replace(year=start.year - 1).isoformat(), "end": (start - timedelta(days=1)).isoformat(),
            "fund": ""}  # fmt: skip


def this_year_so_far() -> dict:
    today = timezone.localdate()
    return {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat(), "by": "quarter"}


def session_url(suffix: str = "") -> Callable[[Objects], str]:
    return lambda o: f"/outreach/sessions/{o.session.pk}/{suffix}"


def volunteer_url(suffix: str = "") -> Callable[[Objects], str]:
    return lambda o: f"/outreach/volunteers/{o.volunteer_record.pk}/{suffix}"


def intake_request_url(suffix: str = "") -> Callable[[Objects], str]:
    return lambda o: f"/cases/intake-requests/{o.intake_request.pk}/{suffix}"


# fmt: off
MATRIX: dict[str, Route] = {
    # --- everyone signed in ---------------------------------------------------------------
    "": Route(lambda o: "/", GET=SIGNED_IN_OK, POST=SIGNED_IN_ONLY_GET),
    "accounts/login/": Route(
        lambda o: "/accounts/login/",
        GET=row("302", anonymous="200"),  # a signed-in person is sent home
        POST=row("302", anonymous="200"),  # an empty form is shown again with its errors
    ),
    "accounts/logout/": Route(lambda o: "/accounts/logout/", GET=row("405"), POST=row("login")),
    "accounts/mfa/": Route(lambda o: "/accounts/mfa/", GET=SIGNED_IN_OK, POST=SIGNED_IN_OK),
    # The sign-in page's language: this session's only, so anyone may choose it.
    "accounts/login/language/": Route(
        lambda o: "/accounts/login/language/",
        GET=row("405"),
        POST=row("302"),
        data=lambda o: {"language": "es", "next": "/"},
    ),
    "accounts/profile/": Route(
        lambda o: "/accounts/profile/",
        GET=SIGNED_IN_OK,
        POST=row("302", anonymous="login"),
        data=lambda o: {"language": "es"},
    ),
    "notifications/": Route(lambda o: "/notifications/", GET=SIGNED_IN_OK, POST=SIGNED_IN_ONLY_GET),
    "notifications/<int:pk>/open/": Route(
        lambda o: f"/notifications/{o.notification.pk}/open/",
        GET=SIGNED_IN_ONLY_GET,
        POST=row("404", anonymous="login", specialist="302"),  # only its recipient
    ),
    "notifications/read-all/": Route(
        lambda o: "/notifications/read-all/", GET=SIGNED_IN_ONLY_GET, POST=row("302", anonymous="login")
    ),
    # --- reports: a job belongs to the person who asked for it --------------------------------
    "reports/request/<slug:kind>/<int:target_id>/": Route(
        lambda o: f"/reports/request/case_face_sheet/{o.world.case_a.pk}/",
        GET=SIGNED_IN_ONLY_GET,
        POST=row("404", anonymous="login", **dict.fromkeys(CASE_READERS, "302")),
    ),
    "reports/jobs/<uuid:public_id>/": Route(
        lambda o: f"/reports/jobs/{o.job.public_id}/",
        GET=row("404", anonymous="login", specialist="200"),
        POST=row("405", anonymous="login"),
    ),
    "reports/jobs/<uuid:public_id>/download/": Route(
        lambda o: f"/reports/jobs/{o.done_job.public_id}/download/",
        GET=row("404", anonymous="login", specialist="200"),
        POST=row("405", anonymous="login"),
    ),
    # Funder and program reports count every case: for those who may produce them (the director).
    # Without a period asked for, a report is of its last complete period.
    "reports/program/": Route(
        lambda o: "/reports/program/", GET=row("403", anonymous="login", director="200"), POST=SIGNED_IN_ONLY_GET
    ),
    "reports/program/<slug:kind>/": Route(
        lambda o: "/reports/program/victim-services-quarterly/",
        GET=row("403", anonymous="login", director="200"),
        POST=SIGNED_IN_ONLY_GET,
    ),
    "reports/program/<slug:kind>/export/<slug:fmt>/": Route(
        lambda o: "/reports/program/hhs-quarterly/export/xlsx/",
        GET=row("403", anonymous="login", director="200"),
        POST=SIGNED_IN_ONLY_GET,
    ),
    "reports/program/<slug:kind>/submit/": Route(
        lambda o: "/reports/program/victim-services-quarterly/submit/",
        GET=SIGNED_IN_ONLY_GET,
        POST=row("403", anonymous="login", director="302"),
        data=lambda o: last_fiscal_year(),
    ),
    # --- cases ------------------------------------------------------------------------------
    # The list is open to everyone signed in (it shows only what each person may see);
    # searching posts the form, so a name never lands in a URL.
    "cases/": Route(lambda o: "/cases/", GET=SIGNED_IN_OK, POST=SIGNED_IN_OK),
    "cases/new/": Route(
        lambda o: "/cases/new/",
        GET=row("200", anonymous="login", finance="403", outreach="403", volunteer="403", trainer="403",
                administrator="403"),
        POST=row("200", anonymous="login", finance="403", outreach="403", volunteer="403", trainer="403",
                 administrator="403"),
    ),
    "cases/<int:pk>/": Route(case_url(), GET=CASE_A_GET, POST=row("405", anonymous="login")),
    "cases/<int:pk>/edit/": Route(case_url("edit/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/assign/": Route(
        case_url("assign/"),
        GET={**CASE_A_GET, "specialist": "403"},  # may see the case, may not reassign it
        POST={**CASE_A_GET, "specialist": "403"},
    ),
    "cases/<int:pk>/history/": Route(case_url("history/"), GET=CASE_A_GET, POST=row("405", anonymous="login")),
    "cases/<int:pk>/access-log/": Route(
        case_url("access-log/"),
        GET={**CASE_A_GET, "specialist": "403"},  # who read a record is for supervisors and the director
        POST=row("405", anonymous="login"),
    ),
    # --- the directory of partner organizations: public details, for everyone signed in ---------
    "directory/": Route(lambda o: "/directory/", GET=SIGNED_IN_OK, POST=SIGNED_IN_ONLY_GET),
    "directory/<int:pk>/": Route(
        lambda o: f"/directory/{o.organization.pk}/", GET=SIGNED_IN_OK, POST=SIGNED_IN_ONLY_GET
    ),
    # --- intake ------------------------------------------------------------------------------
    # The duplicate check is for those who start intakes; it answers only by POST (names).
    "cases/duplicates/": Route(
        lambda o: "/cases/duplicates/",
        GET=row("405", anonymous="login"),
        POST=row("200", anonymous="login", finance="403", outreach="403", volunteer="403", trainer="403",
                 administrator="403"),
    ),
    # Records to complete: like the list, open to everyone signed in and showing only what each
    # person may see; its filters identify nobody, so it is a GET.
    "cases/quality/": Route(lambda o: "/cases/quality/", GET=SIGNED_IN_OK, POST=SIGNED_IN_ONLY_GET),
    "cases/<int:pk>/screening/": Route(case_url("screening/"), GET=CASE_A_GET, POST=row("405", anonymous="login")),
    # An empty POST shows the form again with its messages.
    "cases/<int:pk>/screening/new/": Route(case_url("screening/new/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/mandated-reports/new/": Route(
        case_url("mandated-reports/new/"), GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/family/new/": Route(case_url("family/new/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/family/<int:member_pk>/remove/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/family/{o.family_member.pk}/remove/",
        GET=row("405", anonymous="login"),
        POST={**CASE_A_GET, **dict.fromkeys(CASE_READERS, "302")},
    ),
    # Deciding eligibility against the rules is for supervisors and the director.
    "cases/<int:pk>/eligibility/": Route(
        lambda o: f"/cases/{o.intake.pk}/eligibility/",
        GET={**CASE_A_GET, "specialist": "403"},
        POST={**CASE_A_GET, "specialist": "403"},
    ),
    "cases/<int:pk>/outcome/": Route(lambda o: f"/cases/{o.intake.pk}/outcome/", GET=CASE_A_GET, POST=CASE_A_GET),
    # --- contacts and stages of change ---------------------------------------------------------
    # Reading the contacts needs view_case; every form needs change_case (an empty POST shows it again).
    "cases/<int:pk>/contacts/": Route(case_url("contacts/"), GET=CASE_A_GET, POST=row("405", anonymous="login")),
    "cases/<int:pk>/contacts/new/": Route(case_url("contacts/new/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/contacts/<int:contact_pk>/correct/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/contacts/{o.contact.pk}/correct/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/contacts/cadence/": Route(case_url("contacts/cadence/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/stages/new/": Route(case_url("stages/new/"), GET=CASE_A_GET, POST=CASE_A_GET),
    # --- referrals, releases and documents -------------------------------------------------------
    # Downloading needs view_case (and is only a GET); every form needs change_case, and an empty
    # POST shows the form again with its messages.
    "cases/<int:pk>/documents/new/": Route(case_url("documents/new/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/documents/<int:document_pk>/download/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/documents/{o.document.pk}/download/",
        GET=CASE_A_GET,
        POST=row("405", anonymous="login"),
    ),
    "cases/<int:pk>/documents/<int:document_pk>/delete/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/documents/{o.document.pk}/delete/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/releases/new/": Route(case_url("releases/new/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/releases/<int:release_pk>/revoke/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/releases/{o.release.pk}/revoke/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/referrals/new/": Route(case_url("referrals/new/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/referrals/<int:referral_pk>/status/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/referrals/{o.referral.pk}/status/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    # --- closure, reopening and handoffs ---------------------------------------------------------
    # Anyone who may change the case asks; an empty POST shows the form again with its messages.
    "cases/<int:pk>/close/": Route(case_url("close/"), GET=CASE_A_GET, POST=CASE_A_GET),
    # Approving is for supervisors and the director: the specialist sees the case but may not.
    "cases/<int:pk>/closures/<int:closure_pk>/decide/": Route(
        lambda o: f"/cases/{o.closure.case_id}/closures/{o.closure.pk}/decide/",
        GET={**CASE_A_GET, "specialist": "403"},
        POST={**CASE_A_GET, "specialist": "403"},
    ),
    "cases/<int:pk>/closures/<int:closure_pk>/withdraw/": Route(
        lambda o: f"/cases/{o.closure.case_id}/closures/{o.closure.pk}/withdraw/",
        GET=row("405", anonymous="login"),
        POST={**CASE_A_GET, **dict.fromkeys(CASE_READERS, "302")},
    ),
    "cases/<int:pk>/reenroll/": Route(
        lambda o: f"/cases/{o.closed.case_id}/reenroll/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    # The queue of closures waiting: for the roles that approve them.
    "cases/closures/": Route(
        lambda o: "/cases/closures/",
        GET=row("403", anonymous="login", supervisor="200", director="200"),
        POST=row("405", anonymous="login"),
    ),
    # --- restricted cases, emergency access and the timeline -----------------------------------------
    "cases/<int:pk>/timeline/": Route(case_url("timeline/"), GET=CASE_A_GET, POST=row("405", anonymous="login")),
    # Restricting is for those who may assign the case.
    "cases/<int:pk>/restriction/": Route(
        case_url("restriction/"),
        GET={**CASE_A_GET, "specialist": "403"},
        POST={**CASE_A_GET, "specialist": "403"},
    ),
    # --- safety plans ----------------------------------------------------------------------------------
    # The contents need the sensitive-details permission on top of sight of the case (every case
    # reader here holds it; tests/cases/test_safety_plans.py covers a reader without it: 403).
    # Saving needs change_case too; an empty POST shows the form again with its messages.
    "cases/<int:pk>/safety/": Route(case_url("safety/"), GET=CASE_A_GET, POST=row("405", anonymous="login")),
    "cases/<int:pk>/safety/new/": Route(case_url("safety/new/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/safety/<int:version>/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/safety/{o.safety_plan.version}/",
        GET=CASE_A_GET,
        POST=row("405", anonymous="login"),
    ),
    # --- the service catalogue and the funders' codes: the program director's ------------------------
    # Nobody else may see them (403); an empty POST shows the form again with its messages.
    "cases/catalogue/": Route(lambda o: "/cases/catalogue/", GET=CATALOGUE, POST=row("405", anonymous="login")),
    "cases/catalogue/services/new/": Route(
        lambda o: "/cases/catalogue/services/new/",
        GET=CATALOGUE,
        POST={**CATALOGUE, "director": "302"},
        data=lambda o: {"name": "Peer mentoring", "group": "support", "order": "1", "is_active": "on"},
    ),
    "cases/catalogue/services/<int:service_pk>/edit/": Route(
        lambda o: f"/cases/catalogue/services/{Service.objects.order_by('pk').first().pk}/edit/",
        GET=CATALOGUE,
        POST=CATALOGUE,
    ),
    "cases/catalogue/codes/": Route(
        lambda o: "/cases/catalogue/codes/", GET=CATALOGUE, POST=row("405", anonymous="login")
    ),
    "cases/catalogue/codes/new/": Route(
        lambda o: "/cases/catalogue/codes/new/",
        GET=CATALOGUE,
        POST={**CATALOGUE, "director": "302"},
        data=lambda o: {"scheme": "victim services", "code": "F1", "label": "Financial counseling", "order": "40"},
    ),
    "cases/catalogue/codes/<int:code_pk>/edit/": Route(
        lambda o: f"/cases/catalogue/codes/{FunderCode.objects.order_by('pk').first().pk}/edit/",
        GET=CATALOGUE,
        POST=CATALOGUE,
    ),
    # --- phase templates: the program director's configuration ---------------------------------------
    "plans/templates/": Route(
        lambda o: "/plans/templates/",
        GET=row("403", anonymous="login", director="200"),
        POST=row("405", anonymous="login"),
    ),
    "plans/templates/new/": Route(
        lambda o: "/plans/templates/new/",
        GET=row("403", anonymous="login", director="200"),
        POST=row("403", anonymous="login", director="200"),  # an empty form is shown again with its errors
    ),
    "plans/templates/<int:template_pk>/": Route(
        lambda o: f"/plans/templates/{o.phase_template.pk}/",
        GET=row("403", anonymous="login", director="200"),
        POST=row("405", anonymous="login"),
    ),
    "plans/templates/<int:template_pk>/edit/": Route(
        lambda o: f"/plans/templates/{o.phase_template.pk}/edit/",
        GET=row("403", anonymous="login", director="200"),
        POST=row("403", anonymous="login", director="200"),
    ),
    "plans/templates/<int:template_pk>/use/": Route(
        lambda o: f"/plans/templates/{o.phase_template.pk}/use/",
        GET=row("405", anonymous="login"),
        POST=row("403", anonymous="login", director="302"),
    ),
    # --- the case plan and its journey ----------------------------------------------------------------
    # Reading needs view_case; starting and moving need the right to decide on the case (an empty POST
    # shows the form again). Signing off is for supervisors and the director, never the specialist.
    "cases/<int:pk>/plan/": Route(
        lambda o: f"/cases/{o.journey_plan.case_id}/plan/", GET=CASE_A_GET, POST=row("405", anonymous="login")
    ),
    "cases/<int:pk>/plan/start/": Route(case_url("plan/start/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/plan/move/": Route(
        lambda o: f"/cases/{o.journey_plan.case_id}/plan/move/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/plan/back/": Route(
        lambda o: f"/cases/{o.journey_plan.case_id}/plan/back/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/plan/reviews/<int:review_pk>/decide/": Route(
        lambda o: f"/cases/{o.journey_review.plan.case_id}/plan/reviews/{o.journey_review.pk}/decide/",
        GET={**CASE_A_GET, "specialist": "403"},
        POST={**CASE_A_GET, "specialist": "403"},
    ),
    "cases/<int:pk>/plan/reviews/<int:review_pk>/withdraw/": Route(
        lambda o: f"/cases/{o.journey_review.plan.case_id}/plan/reviews/{o.journey_review.pk}/withdraw/",
        GET=row("405", anonymous="login"),
        POST={**CASE_A_GET, **dict.fromkeys(CASE_READERS, "302")},
    ),
    # The queue of moves waiting: for the roles that sign them off.
    "plans/reviews/": Route(
        lambda o: "/plans/reviews/",
        GET=row("403", anonymous="login", supervisor="200", director="200"),
        POST=row("405", anonymous="login"),
    ),
    # --- goals and the budget worksheet -------------------------------------------------------------
    # Reading needs view_case; every form needs change_case (an empty POST shows the form again).
    "cases/<int:pk>/goals/": Route(case_url("goals/"), GET=CASE_A_GET, POST=row("405", anonymous="login")),
    "cases/<int:pk>/goals/new/": Route(case_url("goals/new/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/goals/<int:goal_pk>/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/goals/{o.goal.pk}/", GET=CASE_A_GET, POST=row("405", anonymous="login")
    ),
    "cases/<int:pk>/goals/<int:goal_pk>/edit/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/goals/{o.goal.pk}/edit/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/goals/<int:goal_pk>/status/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/goals/{o.goal.pk}/status/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/goals/<int:goal_pk>/steps/new/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/goals/{o.goal.pk}/steps/new/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/goals/<int:goal_pk>/steps/<int:step_pk>/edit/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/goals/{o.goal.pk}/steps/{o.step.pk}/edit/",
        GET=CASE_A_GET,
        POST=CASE_A_GET,
    ),
    "cases/<int:pk>/goals/<int:goal_pk>/notes/new/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/goals/{o.goal.pk}/notes/new/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/budget/": Route(case_url("budget/"), GET=CASE_A_GET, POST=row("405", anonymous="login")),
    "cases/<int:pk>/budget/new/": Route(case_url("budget/new/"), GET=CASE_A_GET, POST=CASE_A_GET),
    "cases/<int:pk>/budget/<int:month_pk>/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/budget/{o.budget_month.pk}/",
        GET=CASE_A_GET,
        POST=row("405", anonymous="login"),
    ),
    "cases/<int:pk>/budget/<int:month_pk>/edit/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/budget/{o.budget_month.pk}/edit/", GET=CASE_A_GET, POST=CASE_A_GET
    ),
    # Emergency access is for specialists and supervisors covering a crisis.
    "cases/emergency/": Route(
        lambda o: "/cases/emergency/",
        GET=row("403", anonymous="login", specialist="200", colleague="200", supervisor="200", outsider="200"),
        POST=row("403", anonymous="login", specialist="200", colleague="200", supervisor="200", outsider="200"),
    ),
    # --- the admin site: staff only; nobody's role reaches a survivor through it ---------------
    "admin/": Route(lambda o: "/admin/", GET=row("admin-login", administrator="200"),
                    POST=row("admin-login", administrator="200")),
    "admin/login/": Route(lambda o: "/admin/login/", GET=row("200", administrator="302"), POST=row("200")),
    # Anyone but staff is sent to the admin index, which then asks them to sign in as staff.
    "admin/logout/": Route(lambda o: "/admin/logout/", GET=row("302", administrator="405"),
                           POST=row("302", administrator="login")),
    "admin/password_change/": Route(lambda o: "/admin/password_change/", GET=row("admin-login", administrator="200"),
                                    POST=row("admin-login", administrator="200")),
    "admin/password_change/done/": Route(lambda o: "/admin/password_change/done/",
                                         GET=row("admin-login", administrator="200"),
                                         POST=row("admin-login", administrator="405")),
    "admin/autocomplete/": Route(lambda o: "/admin/autocomplete/", GET=row("admin-login", administrator="403"),
                                 POST=row("admin-login", administrator="405")),
    "admin/jsi18n/": Route(lambda o: "/admin/jsi18n/", GET=row("admin-login", administrator="200"),
                           POST=row("admin-login", administrator="405")),
    "admin/r/<path:content_type_id>/<path:object_id>/": Route(
        lambda o: f"/admin/r/{ContentType.objects.get_for_model(o.town).pk}/{o.town.pk}/",
        GET=row("admin-login", administrator="404"), POST=row("admin-login", administrator="404"),
    ),
    "admin/(?P<app_label>auth|accounts|directory|audit|cases|otp_totp|axes)/$": Route(
        lambda o: "/admin/accounts/", GET=row("admin-login", administrator="200"),
        POST=row("admin-login", administrator="200"),
    ),
    "admin/(?P<url>.*)$": Route(lambda o: "/admin/no-such-page/", GET=row("admin-login", administrator="404"),
                                POST=row("admin-login", administrator="404")),
    **admin_model("auth.group", lambda o: o.group, view=True, add=False, change=False, delete=False),
    **admin_model("accounts.user", lambda o: o.world.colleague, view=True, add=True, change=True,
                   delete=False),
    "admin/accounts/user/<id>/password/": Route(
        lambda o: f"/admin/accounts/user/{o.world.colleague.pk}/password/",
        GET=row("admin-login", administrator="200"), POST=row("admin-login", administrator="200"),
    ),
    "admin/accounts/user/([^/]+)/history/([^/]+)/$": Route(
        history_record(lambda o: o.world.colleague),
        GET=row("admin-login", administrator="200"), POST=row("admin-login", administrator="200"),
    ),
    **admin_model("accounts.team", lambda o: o.world.team_a, view=True, add=True, change=True, delete=False),
    "admin/accounts/team/([^/]+)/history/([^/]+)/$": Route(
        history_record(lambda o: o.world.team_a),
        GET=row("admin-login", administrator="200"), POST=row("admin-login", administrator="200"),
    ),
    **admin_model("directory.town", lambda o: o.town, view=True, add=True, change=True, delete=False),
    "admin/directory/town/([^/]+)/history/([^/]+)/$": Route(
        history_record(lambda o: o.town),
        GET=row("admin-login", administrator="200"), POST=row("admin-login", administrator="200"),
    ),
    **admin_model("directory.organization", lambda o: o.organization, view=True, add=True, change=True,
                   delete=False),
    "admin/directory/organization/([^/]+)/history/([^/]+)/$": Route(
        history_record(lambda o: o.organization),
        GET=row("admin-login", administrator="200"), POST=row("admin-login", administrator="200"),
    ),
    # The access log is read-only, even for administrators.
    **admin_model("audit.accesslogentry", lambda o: o.log_entry, view=True, add=False, change=False,
                  delete=False),
    **admin_model("otp_totp.totpdevice", lambda o: o.device, view=False, add=False, change=False,
                   delete=False),
    "admin/otp_totp/totpdevice/<int:pk>/config/": Route(
        lambda o: f"/admin/otp_totp/totpdevice/{o.device.pk}/config/",
        GET=row("admin-login", administrator="403"), POST=row("admin-login", administrator="403"),
    ),
    "admin/otp_totp/totpdevice/<int:pk>/qrcode/": Route(
        lambda o: f"/admin/otp_totp/totpdevice/{o.device.pk}/qrcode/",
        GET=row("admin-login", administrator="403"), POST=row("admin-login", administrator="403"),
    ),
    **admin_model("axes.accessattempt", lambda o: o.attempt, view=False, add=False, change=False,
                   delete=False),
    **admin_model("cases.programsettings", lambda o: ProgramSettings.load(), view=True, add=False, change=True,
                   delete=False),
    "admin/cases/programsettings/([^/]+)/history/([^/]+)/$": Route(
        history_record(lambda o: ProgramSettings.load()),
        GET=row("admin-login", administrator="200"), POST=row("admin-login", administrator="200"),
    ),
    **admin_model("axes.accesslog", lambda o: o.access_log, view=False, add=False, change=False, delete=False),
    **admin_model("axes.accessfailurelog", lambda o: o.failure_log, view=False, add=False, change=False,
                   delete=False),
    # --- assistance: a case's money, help and housing; the queue; funds --------------------------
    "cases/<int:pk>/assistance/": Route(case_url("assistance/"), GET=CASE_A_GET, POST=row("405", anonymous="login")),
    "cases/<int:pk>/assistance/requests/new/": Route(
        case_url("assistance/requests/new/"), GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/assistance/requests/<int:request_pk>/edit/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/assistance/requests/{o.waiting_request.pk}/edit/",
        GET=CASE_A_GET, POST=CASE_A_GET,
    ),
    "cases/<int:pk>/assistance/in-kind/new/": Route(
        case_url("assistance/in-kind/new/"), GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/assistance/in-kind/<int:item_pk>/remove/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/assistance/in-kind/{o.in_kind_item.pk}/remove/",
        GET=CASE_A_GET, POST=CASE_A_GET,
    ),
    "cases/<int:pk>/assistance/housing/new/": Route(
        case_url("assistance/housing/new/"), GET=CASE_A_GET, POST=CASE_A_GET
    ),
    "cases/<int:pk>/assistance/housing/<int:stay_pk>/edit/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/assistance/housing/{o.stay.pk}/edit/",
        GET=CASE_A_GET, POST=CASE_A_GET,  # an empty post leaves a limited stay without its expected end
    ),
    # The awards case A is served under: posted from its tab by those who may change the case.
    "cases/<int:pk>/assistance/awards/add/": Route(
        case_url("assistance/awards/add/"),
        GET=row("405", anonymous="login"),
        POST=row("404", anonymous="login", **dict.fromkeys(CASE_READERS, "302")),
        data=lambda o: {"fund": o.fund.pk},
    ),
    "cases/<int:pk>/assistance/awards/remove/": Route(
        case_url("assistance/awards/remove/"),
        GET=row("405", anonymous="login"),
        POST=row("404", anonymous="login", **dict.fromkeys(CASE_READERS, "302")),
        data=lambda o: {
            "award": o.world.case_a.awards.get_or_create(fund=o.fund, defaults={"added_by": o.world.specialist})[0].pk
        },
    ),
    # Those who approve or pay go to the queue, everyone else who may see the funds to the funds.
    "assistance/": Route(
        lambda o: "/assistance/",
        GET=row("403", anonymous="login", **dict.fromkeys(FUND_READERS, "302")),
        POST=row("405", anonymous="login"),
    ),
    "assistance/queue/<slug:which>/": Route(
        lambda o: "/assistance/queue/approval/",
        GET=row("403", anonymous="login", supervisor="200", director="200", finance="200"),
        POST=row("405", anonymous="login"),
    ),
    "assistance/requests/<int:pk>/": Route(
        request_url("waiting_request"), GET=REQUEST_GET, POST=row("405", anonymous="login")
    ),
    # The specialist asked for it (refused with a message), finance gives only the second approval.
    "assistance/requests/<int:pk>/approve/": Route(
        request_url("waiting_request", "approve/"),
        GET=row("405", anonymous="login"),
        POST=row("404", anonymous="login", specialist="302", supervisor="302", director="302", finance="403"),
    ),
    "assistance/requests/<int:pk>/deny/": Route(
        request_url("waiting_request", "deny/"),
        GET=row("404", anonymous="login", specialist="403", supervisor="200", director="200", finance="403"),
        POST=row("404", anonymous="login", specialist="403", supervisor="200", director="200", finance="403"),
    ),
    "assistance/requests/<int:pk>/cancel/": Route(
        request_url("waiting_request", "cancel/"),
        GET=row("404", anonymous="login", specialist="200", supervisor="200", director="200", finance="403"),
        POST=row("404", anonymous="login", specialist="200", supervisor="200", director="200", finance="403"),
    ),
    "assistance/requests/<int:pk>/pay/": Route(
        request_url("approved_request", "pay/"),
        GET=row("404", anonymous="login", specialist="403", supervisor="403", director="403", finance="200"),
        POST=row("404", anonymous="login", specialist="403", supervisor="403", director="403", finance="200"),
    ),
    "assistance/requests/<int:pk>/receipt/": Route(
        request_url("paid_request", "receipt/"), GET=REQUEST_GET, POST=row("405", anonymous="login")
    ),
    "assistance/requests/<int:pk>/receipt/add/": Route(
        request_url("unreceipted_request", "receipt/add/"),
        GET=row("404", anonymous="login", specialist="403", supervisor="403", director="403", finance="200"),
        POST=row("404", anonymous="login", specialist="403", supervisor="403", director="403", finance="200"),
    ),
    "assistance/funds/": Route(lambda o: "/assistance/funds/", GET=FUND_GET, POST=row("405", anonymous="login")),
    "assistance/funds/new/": Route(lambda o: "/assistance/funds/new/", GET=FUND_MANAGERS, POST=FUND_MANAGERS),
    "assistance/funds/<int:fund_pk>/": Route(
        lambda o: f"/assistance/funds/{o.fund.pk}/", GET=FUND_GET, POST=row("405", anonymous="login")
    ),
    "assistance/funds/<int:fund_pk>/edit/": Route(
        lambda o: f"/assistance/funds/{o.fund.pk}/edit/", GET=FUND_MANAGERS, POST=FUND_MANAGERS
    ),
    # Without a period the export shows the fund's page again with the period's errors.
    "assistance/funds/<int:fund_pk>/payments.csv": Route(
        lambda o: f"/assistance/funds/{o.fund.pk}/payments.csv",
        GET=row("403", anonymous="login", director="400", finance="400"),
        POST=row("405", anonymous="login"),
    ),
    "assistance/in-kind/": Route(lambda o: "/assistance/in-kind/", GET=FUND_GET, POST=row("405", anonymous="login")),
    # --- outreach: its own records, no survivor's -------------------------------------------------
    # Outreach workers run the work; supervisors and the director follow it (sessions, partnerships,
    # the dashboard) and the director reads the volunteers. A volunteer who signs in sees only the
    # sessions they were on (test_a_volunteer_sees_only_their_own_sessions). A record out of the
    # reader's sight is a 404; one in sight that they may not change, a 403. Empty posts show the
    # form again with its messages (a training, with 400).
    "outreach/": Route(
        lambda o: "/outreach/",
        GET={**OUTREACH_FOLLOWERS_GET, "volunteer": "302"},  # a volunteer goes to their own page
        POST=row("405", anonymous="login"),
    ),
    "outreach/sessions/new/": Route(lambda o: "/outreach/sessions/new/", GET=OUTREACH_ONLY, POST=OUTREACH_ONLY),
    "outreach/sessions/<int:pk>/": Route(
        session_url(), GET={**SESSION_GET, "volunteer": "200"}, POST=row("405", anonymous="login")
    ),
    "outreach/sessions/<int:pk>/edit/": Route(
        session_url("edit/"), GET=SESSION_CHANGERS, POST=SESSION_CHANGERS
    ),
    "outreach/sessions/<int:pk>/hand-off/": Route(
        session_url("hand-off/"), GET=SESSION_CHANGERS, POST=SESSION_CHANGERS
    ),
    "outreach/mine/": Route(
        lambda o: "/outreach/mine/",
        GET=row("403", anonymous="login", volunteer="200"),
        POST=row("405", anonymous="login"),
    ),
    "outreach/volunteers/": Route(
        lambda o: "/outreach/volunteers/",
        GET=row("403", anonymous="login", outreach="200", director="200"),
        POST=row("405", anonymous="login"),
    ),
    "outreach/volunteers/new/": Route(lambda o: "/outreach/volunteers/new/", GET=OUTREACH_ONLY, POST=OUTREACH_ONLY),
    "outreach/volunteers/<int:pk>/": Route(
        volunteer_url(), GET=VOLUNTEER_GET, POST=row("405", anonymous="login")
    ),
    "outreach/volunteers/<int:pk>/edit/": Route(
        volunteer_url("edit/"), GET={**VOLUNTEER_GET, "director": "403"}, POST={**VOLUNTEER_GET, "director": "403"}
    ),
    "outreach/volunteers/<int:pk>/trainings/new/": Route(
        volunteer_url("trainings/new/"),
        GET=row("405", anonymous="login"),
        POST={**VOLUNTEER_GET, "outreach": "400", "director": "403"},
    ),
    "outreach/partnerships/": Route(
        lambda o: "/outreach/partnerships/", GET=OUTREACH_FOLLOWERS_GET, POST=row("405", anonymous="login")
    ),
    "outreach/partnerships/new/": Route(
        lambda o: "/outreach/partnerships/new/", GET=OUTREACH_FOLLOWERS_GET, POST=OUTREACH_FOLLOWERS_GET
    ),
    "outreach/partnerships/<int:pk>/edit/": Route(
        lambda o: f"/outreach/partnerships/{o.partnership.pk}/edit/",
        GET={**PARTNERSHIP_GET, "supervisor": "403"},  # sees the activities, may add but not correct one
        POST={**PARTNERSHIP_GET, "supervisor": "403"},
    ),
    "outreach/dashboard/": Route(
        lambda o: "/outreach/dashboard/", GET=OUTREACH_FOLLOWERS_GET, POST=row("405", anonymous="login")
    ),
    # Without a period the export is of the dashboard's default one.
    "outreach/dashboard.csv": Route(
        lambda o: "/outreach/dashboard.csv", GET=OUTREACH_FOLLOWERS_GET, POST=row("405", anonymous="login")
    ),
    # --- requests for help waiting in a team's intake queue -----------------------------------------
    # The queue is for those who start intakes; a request, for its team's members and supervisors and
    # the director. Outreach, who passed it on, cannot read it back.
    "cases/intake-requests/": Route(
        lambda o: "/cases/intake-requests/",
        GET=row("403", anonymous="login", **dict.fromkeys(INTAKE_QUEUE_WORKERS, "200"), outsider="200"),
        POST=row("405", anonymous="login"),
    ),
    "cases/intake-requests/<int:pk>/": Route(
        intake_request_url(), GET=INTAKE_REQUEST_GET, POST=row("405", anonymous="login")
    ),
    "cases/intake-requests/<int:pk>/start/": Route(
        intake_request_url("start/"),
        GET=row("405", anonymous="login"),
        POST=row("404", anonymous="login", **dict.fromkeys(INTAKE_QUEUE_WORKERS, "302")),
    ),
    # Closing needs a reason: an empty post shows the request again with the message.
    "cases/intake-requests/<int:pk>/close/": Route(
        intake_request_url("close/"),
        GET=row("405", anonymous="login"),
        POST=row("404", anonymous="login", **dict.fromkeys(INTAKE_QUEUE_WORKERS, "400")),
    ),
    # --- training: curricula, trainers, events, their surveys and the results --------------------
    "training/": Route(lambda o: "/training/", GET=TRAINING_LIST_GET, POST=row("405", anonymous="login")),
    "training/events/new/": Route(
        lambda o: "/training/events/new/", GET=TRAINING_ONLY, POST=TRAINING_ONLY_WRITES, data=event_post
    ),
    "training/events/<int:pk>/": Route(event_url(), GET=TRAINING_RECORD_GET, POST=row("405", anonymous="login")),
    "training/events/<int:pk>/edit/": Route(
        event_url("edit/"), GET=TRAINING_RECORD_CHANGE, POST=TRAINING_RECORD_WRITES, data=event_post
    ),
    "training/events/<int:pk>/new-link/": Route(
        event_url("new-link/"), GET=row("405", anonymous="login"), POST=TRAINING_RECORD_WRITES
    ),
    "training/events/<int:pk>/survey-sheet/": Route(
        event_url("survey-sheet/"), GET=TRAINING_RECORD_GET, POST=row("405", anonymous="login")
    ),
    "training/events/<int:pk>/attendees/": Route(
        event_url("attendees/"), GET=row("405", anonymous="login"), POST=TRAINING_RECORD_WRITES,
        data=lambda o: {"full_name": "Abe Attendee", "field_of_work": "education"},
    ),
    "training/events/<int:pk>/attendees/<int:attendee_pk>/remove/": Route(
        lambda o: f"/training/events/{o.training_event.pk}/attendees/{o.attendee.pk}/remove/",
        GET=row("405", anonymous="login"), POST=TRAINING_RECORD_WRITES,
    ),
    # The surveys one by one are for those who type them in: the trainers (the others see the results).
    "training/events/<int:pk>/surveys/": Route(
        event_url("surveys/"), GET=TRAINING_RECORD_CHANGE, POST=row("405", anonymous="login")
    ),
    "training/events/<int:pk>/surveys/paper/": Route(
        event_url("surveys/paper/"), GET=TRAINING_RECORD_CHANGE, POST=TRAINING_RECORD_WRITES,
        data=lambda o: first_item_post(o.survey, phase="pre"),
    ),
    # A single survey is out of sight (404) for those who may not type surveys in, as on its list.
    "training/events/<int:pk>/surveys/<int:response_pk>/set-aside/": Route(
        lambda o: f"/training/events/{o.training_event.pk}/surveys/{o.post_response.pk}/set-aside/",
        GET=row("405", anonymous="login"),
        POST={**TRAINING_RECORD_WRITES, "supervisor": "404", "director": "404"},
    ),
    "training/events/<int:pk>/results/": Route(
        event_url("results/"), GET=TRAINING_RECORD_GET, POST=row("405", anonymous="login")
    ),
    "training/results/": Route(
        lambda o: "/training/results/", GET=TRAINING_LIST_GET, POST=row("405", anonymous="login")
    ),
    "training/curricula/": Route(
        lambda o: "/training/curricula/", GET=TRAINING_LIST_GET, POST=row("405", anonymous="login")
    ),
    "training/curricula/new/": Route(
        lambda o: "/training/curricula/new/", GET=TRAINING_ONLY, POST=TRAINING_ONLY_WRITES,
        data=lambda o: {"name": "Labor trafficking", "version": "1", "audience": "general", "hours": "2",
                        "sessions": "1", "active": "on"},
    ),
    "training/curricula/<int:pk>/edit/": Route(
        lambda o: f"/training/curricula/{o.curriculum.pk}/edit/", GET=TRAINING_RECORD_CHANGE,
        POST=TRAINING_RECORD_WRITES,
        data=lambda o: {"name": o.curriculum.name, "version": o.curriculum.version, "audience": "general",
                        "hours": "3.5", "sessions": "1", "active": "on"},
    ),
    "training/trainers/": Route(
        lambda o: "/training/trainers/", GET=TRAINING_LIST_GET, POST=row("405", anonymous="login")
    ),
    "training/trainers/new/": Route(
        lambda o: "/training/trainers/new/", GET=TRAINING_ONLY, POST=TRAINING_ONLY_WRITES,
        data=lambda o: {"full_name": "Tess Teacher", "active": "on"},
    ),
    "training/trainers/<int:pk>/": Route(
        lambda o: f"/training/trainers/{o.course_trainer.pk}/", GET=TRAINING_RECORD_GET,
        POST=row("405", anonymous="login"),
    ),
    "training/trainers/<int:pk>/edit/": Route(
        lambda o: f"/training/trainers/{o.course_trainer.pk}/edit/", GET=TRAINING_RECORD_CHANGE,
        POST=TRAINING_RECORD_WRITES, data=lambda o: {"full_name": "Terry Trainer-Lopez", "active": "on"},
    ),
    "training/trainers/<int:pk>/certify/": Route(
        lambda o: f"/training/trainers/{o.course_trainer.pk}/certify/", GET=row("405", anonymous="login"),
        POST=TRAINING_RECORD_WRITES,
        data=lambda o: {"curriculum": o.curriculum.pk, "kind": "facilitator",
                        "certified_on": timezone.localdate().isoformat()},
    ),
    "training/surveys/": Route(
        lambda o: "/training/surveys/", GET=TRAINING_LIST_GET, POST=row("405", anonymous="login")
    ),
    "training/surveys/<int:pk>/": Route(
        lambda o: f"/training/surveys/{o.survey.pk}/", GET=TRAINING_RECORD_GET, POST=row("405", anonymous="login")
    ),
    # Only a version no event uses can be reworded (one in use sends the trainer back to it: 302).
    "training/surveys/<int:pk>/edit/": Route(
        lambda o: f"/training/surveys/{o.draft_survey.pk}/edit/", GET=TRAINING_RECORD_CHANGE,
        POST=TRAINING_RECORD_WRITES, data=lambda o: wording_post(o.draft_survey),
    ),
    "training/surveys/<int:pk>/revise/": Route(
        lambda o: f"/training/surveys/{o.survey.pk}/revise/", GET=row("405", anonymous="login"),
        POST=TRAINING_RECORD_WRITES,
    ),
    "training/surveys/<int:pk>/default/": Route(
        lambda o: f"/training/surveys/{o.draft_survey.pk}/default/", GET=row("405", anonymous="login"),
        POST=TRAINING_RECORD_WRITES,
    ),
    # --- the survey link: anyone with it, signed in or not; the event's survey after it is open ---------
    "s/<str:token>/": Route(
        lambda o: f"/s/{o.training_event.survey_token}/", GET=SURVEY_LINK, POST=SURVEY_LINK_ONLY_GET
    ),
    # The GET gives the browser its device cookie, as opening the page does on a phone; the POST then
    # sends one answer, and goes to the thanks.
    "s/<str:token>/<slug:phase>/": Route(
        lambda o: f"/s/{o.training_event.survey_token}/post/", GET=SURVEY_LINK, POST=row("302"),
        data=lambda o: first_item_post(o.survey, field_of_work="education"),
    ),
    "s/<str:token>/<slug:phase>/<slug:why>/": Route(
        lambda o: f"/s/{o.training_event.survey_token}/post/thanks/", GET=SURVEY_LINK, POST=SURVEY_LINK_ONLY_GET
    ),
}
# fmt: on

# More examples of routes declared above, checked the same way: the request route serves every kind
# of report. Training's evaluation is for those who see the results, of one event or over a period.
EXAMPLES: list[tuple[str, Route]] = [
    (
        "reports/request/<slug:kind>/<int:target_id>/",
        Route(
            lambda o: f"/reports/request/training_event_evaluation/{o.training_event.pk}/",
            GET=row("405", anonymous="login"),
            POST=row("404", anonymous="login", **dict.fromkeys(TRAINING_FOLLOWERS, "302")),
        ),
    ),
    (
        "reports/request/<slug:kind>/<int:target_id>/",
        Route(
            lambda o: "/reports/request/training_evaluation/0/",
            GET=row("405", anonymous="login"),
            POST=row("404", anonymous="login", **dict.fromkeys(TRAINING_FOLLOWERS, "302")),
            data=lambda o: this_year_so_far(),
        ),
    ),
    # A funder report's PDF: for those who may produce the reports; the period is posted.
    (
        "reports/request/<slug:kind>/<int:target_id>/",
        Route(
            lambda o: "/reports/request/victim-services-quarterly/0/",
            GET=row("405", anonymous="login"),
            POST=row("404", anonymous="login", director="302"),
            data=lambda o: last_fiscal_year(),
        ),
    ),
]

# The routes and examples of the dashboards and service reports, retention, intake fields and the
# survivor's copy, each declared beside this table.
from tests.matrix_copy import EXAMPLES as COPY_EXAMPLES  # noqa: E402
from tests.matrix_copy import MATRIX as COPY_MATRIX  # noqa: E402
from tests.matrix_dashboards import EXAMPLES as DASHBOARD_EXAMPLES  # noqa: E402 (it reads row, Route above)
from tests.matrix_dashboards import MATRIX as DASHBOARD_MATRIX  # noqa: E402
from tests.matrix_fields import EXAMPLES as FIELDS_EXAMPLES  # noqa: E402
from tests.matrix_fields import MATRIX as FIELDS_MATRIX  # noqa: E402
from tests.matrix_retention import EXAMPLES as RETENTION_EXAMPLES  # noqa: E402
from tests.matrix_retention import MATRIX as RETENTION_MATRIX  # noqa: E402

MATRIX |= DASHBOARD_MATRIX | RETENTION_MATRIX | FIELDS_MATRIX | COPY_MATRIX
EXAMPLES += DASHBOARD_EXAMPLES + RETENTION_EXAMPLES + FIELDS_EXAMPLES + COPY_EXAMPLES


def project_routes() -> list[str]:
    """Every URL pattern's full route, straight from the resolver."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern).removeprefix("^"))
            else:
                assert isinstance(pattern, URLPattern)
                yield prefix + str(pattern.pattern).removeprefix("^")

    return list(walk(get_resolver().url_patterns))


def outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin-login"
    return str(response.status_code)


class SignedIn:
    """A client per persona, signed in once (for a module, inside its transaction).

    Each time it is taken, the client holds its session cookie and nothing else: no message
    or cookie an earlier route left, and its sign-in even after a request that signed out
    (the request's own changes are rolled back, the cookie the answer set is dropped).
    """

    def __init__(self, world):
        self.clients, self.sessions = {}, {}
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(getattr(world, persona))
            self.clients[persona] = client
            self.sessions[persona] = client.cookies.get(settings.SESSION_COOKIE_NAME)

    def __getitem__(self, persona: str) -> Client:
        client = self.clients[persona]
        client.cookies.clear()
        if self.sessions[persona] is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona].value
        return client


def observe(objects: Objects, declared: Route, signed_in: SignedIn) -> dict[str, dict[str, str]]:
    path = declared.path(objects)
    seen: dict[str, dict[str, str]] = {"GET": {}, "POST": {}}
    for persona in PERSONAS:
        client = signed_in[persona]  # the GET's cookies go with the POST, as a browser's would
        for method in ("GET", "POST"):
            with transaction.atomic():
                response = client.get(path) if method == "GET" else client.post(path, declared.data(objects))
                transaction.set_rollback(True)
            seen[method][persona] = outcome(response)
    return seen


def every_example() -> list[tuple[str, Route]]:
    return [*MATRIX.items(), *EXAMPLES]
