"""Hostile input to the platform's pages: sign-in, the two-step code, the directory's filter, and the
admin's forms for accounts, teams and partner organizations."""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bloom.accounts import services as account_services
from bloom.accounts.forms import EmailAuthenticationForm, LanguageForm, TokenForm
from bloom.accounts.models import Team, User
from bloom.directory import queries as directory_queries
from bloom.directory.forms import DirectoryFilterForm
from bloom.directory.models import Organization
from bloom.reports import exports as report_exports
from bloom.reports import funders, submissions
from bloom.reports import program_builders as report_builders
from bloom.reports import services as report_services
from bloom.reports.forms import ProgramReportForm
from bloom.reports.models import ReportJob, SubmittedReport
from tests.hostile.harness import Target, attack, every_row_has_history, post_through_http, saved
from tests.matrix import last_fiscal_year
from tests.objects import Objects


def request_by(user: User | None, path: str = "/"):
    request = RequestFactory().post(path)
    request.user = user
    request.session = {}
    return request


def _sign_in(o: Objects, form) -> bool:
    return form.is_valid() and False  # a valid sign-in logs in: nothing of the form's is stored


def _choose_language(o: Objects, form) -> bool:
    if not form.is_valid():
        return False
    account_services.choose_language(o.world.specialist, language=form.cleaned_data["language"], by=o.world.specialist)
    return True


def _filter_directory(o: Objects, form) -> bool:
    if form.is_valid():
        list(directory_queries.filtered(Organization.objects.all(), **form.cleaned_data))
    return False


def device_of(o: Objects) -> TOTPDevice:
    """The specialist's authenticator, as the two-step page finds or makes it."""
    return TOTPDevice.objects.get_or_create(user=o.world.specialist, defaults={"name": "Authenticator"})[0]


def admin_page(model, instance=None) -> dict:
    """``bind`` and ``submit`` for the administrator's add page of ``model`` (or change page of ``instance``)."""

    def model_admin():
        return admin.site._registry[model]

    def bind(o: Objects, data, files):
        obj = instance(o) if instance else None
        form_class = model_admin().get_form(request_by(o.world.administrator), obj, change=obj is not None)
        return form_class(data, files, instance=obj)

    def submit(o: Objects, form) -> bool:
        if not form.is_valid():
            return False
        request, change = request_by(o.world.administrator), instance is not None
        obj = form.save(commit=False)
        model_admin().save_model(request, obj, form, change)
        model_admin().save_related(request, form, [], change)
        return True

    return {"bind": bind, "submit": submit}


def valid_organization(o: Objects) -> dict:
    return {"name": "Harbor House", "kind": "housing", "services": ["housing"], "is_active": "on"}


# Funder and program reports: the period and award, read by one form wherever a report is asked for.
VS = funders.VICTIM_SERVICES


def report_form(o: Objects, data, files):
    """As the report's page and its exports bind it: the period asked, else the last complete one."""
    if "start" in data:
        return ProgramReportForm(data, kind=VS)
    return ProgramReportForm.for_period(funders.suggested_period(VS, timezone.localdate()), kind=VS)


def valid_report(o: Objects) -> dict:
    return {**last_fiscal_year(), "fund": o.fund.pk}


def _show_report(o: Objects, form) -> bool:
    """The page and its XLSX: the report counted for the period and award, and written as a workbook."""
    if form.is_valid():
        report = funders.DEFINITIONS[VS].build(form.period(), form.award())
        report_exports.shown_tables(report)
        report_exports.as_xlsx(report, form.award())
        report_exports.as_csv(report, form.award())
    return False


def _submit_report(o: Objects, form) -> None:
    report = funders.DEFINITIONS[VS].build(form.period(), form.award())
    submissions.submit_report(report, fund=form.award(), by=o.world.director)


def _ask_for_pdf(o: Objects, form) -> bool:
    """The request view: the builder reads the period from the post, then the PDF is queued once."""
    try:
        parameters = report_builders.program_parameters(VS, form.data)
    except ValidationError:
        return False
    try:
        report_services.request_report(by=o.world.director, kind=VS, target_id=0, parameters=parameters)
    except report_services.AlreadyAsked:
        return False
    return True


def report_page(o: Objects) -> str:
    return f"/reports/program/{VS}/?{urlencode(valid_report(o))}"


def admin_url(model, suffix: str):
    meta = model._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{suffix}"


TARGETS = [
    Target(
        "accounts/login/",
        None,
        bind=lambda o, data, files: EmailAuthenticationForm(request_by(None, "/accounts/login/"), data=data),
        valid=lambda o: {"username": o.world.specialist.email, "password": "not the password"},
        submit=_sign_in,
        path=lambda o: "/accounts/login/",
        stores=False,
        status=200,
    ),
    Target(
        "accounts/mfa/",
        "specialist",
        bind=lambda o, data, files: TokenForm(data, device=device_of(o)),
        valid=lambda o: {"token": "123456"},
        submit=lambda o, form: form.is_valid() and False,
        path=lambda o: "/accounts/mfa/",
        stores=False,
        status=200,
    ),
    Target(
        "accounts/login/language/",
        None,
        bind=lambda o, data, files: LanguageForm(data),
        valid=lambda o: {"language": "es", "next": "/accounts/login/"},
        submit=lambda o, form: form.is_valid() and False,  # kept in the session, for one visit
        path=lambda o: "/accounts/login/language/",
        stores=False,
    ),
    Target(
        "accounts/profile/",
        "specialist",
        bind=lambda o, data, files: LanguageForm(data),
        valid=lambda o: {"language": "es"},
        submit=_choose_language,
        path=lambda o: "/accounts/profile/",
        shows=lambda o: ["/accounts/profile/"],
    ),
    Target(
        "directory/",
        "specialist",
        bind=lambda o, data, files: DirectoryFilterForm(data),
        valid=lambda o: {"q": "Legal", "kind": "legal", "service": "vacatur", "open_24_7": "on"},
        submit=_filter_directory,
        path=lambda o: "/directory/",
        stores=False,
        status=200,
        method="get",
    ),
    Target(
        "admin/accounts/user/add/",
        "administrator",
        **admin_page(User),
        valid=lambda o: {
            "email": "new.person@example.org",
            "full_name": "New Person",
            "language": "en",
            "usable_password": "false",
        },
        path=lambda o: admin_url(User, "add/"),
        shows=lambda o: [admin_url(User, ""), admin_url(User, f"{User.objects.latest('pk').pk}/change/")],
    ),
    Target(
        "admin/accounts/user/<path:object_id>/change/",
        "administrator",
        **admin_page(User, instance=lambda o: o.world.colleague),
        valid=lambda o: {
            "email": o.world.colleague.email,
            "full_name": "Cora Colleague",
            "language": "es",
            "is_active": "on",
            "groups": list(o.world.colleague.groups.exclude(name__startswith="team:").values_list("pk", flat=True)),
        },
        path=lambda o: admin_url(User, f"{o.world.colleague.pk}/change/"),
        shows=lambda o: [admin_url(User, ""), admin_url(User, f"{o.world.colleague.pk}/history/")],
    ),
    Target(
        "admin/accounts/team/add/",
        "administrator",
        **admin_page(Team),
        valid=lambda o: {"name": f"Team {Team.objects.count() + 1}", "supervisors": [o.world.supervisor.pk]},
        path=lambda o: admin_url(Team, "add/"),
        shows=lambda o: [admin_url(Team, ""), admin_url(Team, f"{Team.objects.latest('pk').pk}/change/")],
    ),
    Target(
        "admin/accounts/team/<path:object_id>/change/",
        "administrator",
        **admin_page(Team, instance=lambda o: o.world.team_b),
        valid=lambda o: {
            "name": "Team B",
            "supervisors": list(o.world.team_b.supervisors.values_list("pk", flat=True)),
            "members": [o.world.outsider.pk],
        },
        path=lambda o: admin_url(Team, f"{o.world.team_b.pk}/change/"),
        shows=lambda o: [admin_url(Team, ""), admin_url(Team, f"{o.world.team_b.pk}/history/")],
    ),
    Target(
        "admin/directory/organization/add/",
        "administrator",
        **admin_page(Organization),
        valid=valid_organization,
        path=lambda o: admin_url(Organization, "add/"),
        shows=lambda o: [
            admin_url(Organization, ""),
            "/directory/",
            f"/directory/{Organization.objects.latest('pk').pk}/",
        ],
    ),
    Target(
        "admin/directory/organization/<path:object_id>/change/",
        "administrator",
        **admin_page(Organization, instance=lambda o: o.organization),
        valid=lambda o: {**valid_organization(o), "name": "Legal aid", "kind": "legal", "services": ["vacatur"]},
        path=lambda o: admin_url(Organization, f"{o.organization.pk}/change/"),
        shows=lambda o: [admin_url(Organization, ""), "/directory/", f"/directory/{o.organization.pk}/"],
    ),
    Target(
        "reports/program/<slug:kind>/",
        "director",
        bind=report_form,
        valid=valid_report,
        submit=_show_report,
        path=lambda o: f"/reports/program/{VS}/",
        stores=False,
        status=200,
        method="get",
    ),
    Target(
        "reports/program/<slug:kind>/export/<slug:fmt>/",
        "director",
        bind=report_form,
        valid=valid_report,
        submit=_show_report,
        path=lambda o: f"/reports/program/{VS}/export/xlsx/",
        stores=False,
        status=200,
        method="get",
    ),
    Target(
        "reports/program/<slug:kind>/submit/",
        "director",
        bind=lambda o, data, files: ProgramReportForm(data, kind=VS),
        valid=valid_report,
        submit=saved(_submit_report),
        path=lambda o: f"/reports/program/{VS}/submit/",
        shows=lambda o: [report_page(o), "/reports/program/"],
        shows_text=False,
    ),
    Target(
        "reports/request/<slug:kind>/<int:target_id>/",
        "director",
        bind=lambda o, data, files: ProgramReportForm(data, kind=VS),
        valid=valid_report,
        submit=_ask_for_pdf,
        path=lambda o: f"/reports/request/{VS}/0/",
        shows=lambda o: [report_page(o)],
        shows_text=False,
        name=f"reports/request/{VS}/0/",
    ),
]


def assert_platform_consistent() -> None:
    """A team's supervisors and members hold their roles; its group's members are its supervisors."""
    for team in Team.objects.prefetch_related("supervisors", "members", "group__user_set"):
        assert set(team.group.user_set.all()) == set(team.supervisors.all()), team
    assert not Organization.objects.filter(name="").exists()
    # A funder report is submitted and queued only for a period its page takes, and kept as counted.
    for submission in SubmittedReport.objects.all():
        form = ProgramReportForm(
            {"start": submission.period_start, "end": submission.period_end, "fund": submission.fund_id or ""},
            kind=submission.kind,
        )
        assert form.is_valid(), (submission, form.errors)
        counted = funders.DEFINITIONS[submission.kind].build(form.period(), form.award())
        assert submission.figures == counted.figures(), submission
    for kind, parameters in ReportJob.objects.filter(kind__in=funders.DEFINITIONS).values_list("kind", "parameters"):
        period = {name: value for name, value in parameters.items() if name != "format"}  # an export's format
        assert report_builders.program_parameters(kind, period) == period, parameters


BY_ROUTE = pytest.mark.parametrize("target", TARGETS, ids=str)


@BY_ROUTE
def test_every_field_takes_every_hostile_value(objects, target):
    outcome = attack(target, objects)

    target.after(objects)
    assert_platform_consistent()
    every_row_has_history()
    assert outcome.stored > 0 or not target.stores, f"nothing was stored: refused {outcome.refused}"


@BY_ROUTE
def test_hostile_posts_through_the_whole_stack(objects, target):
    post_through_http(target, objects)

    assert_platform_consistent()
    every_row_has_history()
