"""``{% load home_rows %}``: the rows of the specialist's task list, written in Python.

Each tag gives the HTML its group's ``{% for %}`` loop gave in ``reports/home/_specialist.html``,
byte for byte: the same cells, the same escaping, the same translations (``test_list_rows`` holds
every group to the loop it replaced). The busiest caseload waits on some 160 money requests, and
the template engine's few microseconds a node, over five cells a row, came to most of the page's
time; so the rows are built here, as the case list's are (``cases.templatetags.case_rows``). The
labels are translated once a list, each link is cut from one ``reverse()``
(``bloom.templatetags.rows``), and a day, an amount or a choice shown on many rows is written once.

A cell's content is one element: a stacked table on a phone lays each child out in the label's grid.
"""

from collections.abc import Callable, Hashable
from datetime import date

from django import template
from django.db.models import Model
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from assistance.models import AssistanceRequest
from bloom.templatetags.rows import row_url
from cases.models import Closure
from cases.templatetags.case_rows import _contact, _day, _filled, _shown
from phases.models import ActionStep

register = template.Library()

# A row of the contacts due, as the page's ``contact_row`` partial laid it out.
_CONTACT_ROW = (
    "<tr>"
    '\n  <td data-label="{code_label}"><a href="{url}">{code}</a></td>'
    '\n  <td data-label="{name_label}">{name}</td>'
    '\n  <td data-label="{due_label}"><span>{due}{agreed}</span></td>'
    '\n  <td data-label="{contact_label}">{contact}\n</td>'
    "\n</tr>"
)
# The other groups' rows, each as its loop laid it out, the whitespace around it included.
_STEP_ROW = (
    "\n              <tr>"
    '\n                <td data-label="{code_label}">{code}</td>'
    '\n                <td data-label="{step_label}"><a href="{url}">{step}</a></td>'
    '\n                <td data-label="{who_label}">{who}</td>'
    '\n                <td data-label="{due_label}"><span>{due}</span></td>'
    "\n              </tr>\n            "
)
_SAFETY_REVIEW_ROW = (
    "\n              <tr>"
    '\n                <td data-label="{code_label}"><a href="{url}">{code}</a></td>'
    '\n                <td data-label="{name_label}">{name}</td>'
    '\n                <td data-label="{plan_label}">{plan}</td>'
    '\n                <td data-label="{review_label}"><span>{review}</span></td>'
    "\n              </tr>\n            "
)
_RELEASE_ROW = (
    "\n              <tr>"
    '\n                <td data-label="{code_label}"><a href="{url}#releases-heading">{code}</a></td>'
    '\n                <td data-label="{name_label}">{name}</td>'
    '\n                <td data-label="{shared_label}">{shared}</td>'
    '\n                <td data-label="{expires_label}">{expires}</td>'
    "\n              </tr>\n            "
)
_REQUEST_ROW = (
    "\n              <tr>"
    '\n                <td data-label="{request_label}"><a href="{url}">{number}</a></td>'
    '\n                <td data-label="{code_label}">{code}</td>'
    '\n                <td class="table__num" data-label="{amount_label}">${amount}</td>'
    '\n                <td data-label="{status_label}">{status}</td>'
    '\n                <td data-label="{needed_label}">{needed}</td>'
    "\n              </tr>\n            "
)
_CLOSURE_ROW = (
    "\n              <tr>"
    '\n                <td data-label="{code_label}"><a href="{url}#closure-heading">{code}</a></td>'
    '\n                <td data-label="{name_label}">{name}</td>'
    '\n                <td data-label="{reason_label}">{reason}</td>'
    '\n                <td data-label="{asked_label}">{asked}</td>'
    "\n              </tr>\n            "
)
_WITHOUT_PLAN_ROW = (
    "\n              <tr>"
    '\n                <td data-label="{code_label}"><a href="{url}">{code}</a></td>'
    '\n                <td data-label="{name_label}">{name}</td>'
    '\n                <td data-label="{enrolled_label}">{enrolled}</td>'
    "\n              </tr>\n            "
)


def _labels(**texts: str) -> dict[str, str]:
    """Each ``{% translate text %}`` in a cell's attribute, as ``{key}_label``."""
    return {f"{key}_label": conditional_escape(gettext(text)) for key, text in texts.items()}


def _text(value: str) -> str:
    """``{{ value }}`` for a string: escaped, as there is nothing to localize in one."""
    return conditional_escape(value)


def _link(context, viewname: str, *ids: int) -> str:
    return conditional_escape(row_url(context, viewname, *ids))


class _Once:
    """What ``write`` gives for a value, written the first time only: many rows share a day or a status."""

    def __init__(self, write: Callable[[Hashable], str]):
        self.write = write
        self.written = {}

    def __call__(self, value: Hashable) -> str:
        if value not in self.written:
            self.written[value] = self.write(value)
        return self.written[value]


def _days(context) -> _Once:
    """``{{ day|date:"DATE_FORMAT" }}``, once a day."""
    return _Once(lambda day: _day(day, context, "DATE_FORMAT"))


def _due(context, today: date) -> _Once:
    """The page's ``due`` partial: the day, and a badge when it is today or past."""
    overdue = format_html(' <span class="badge badge--danger">{}</span>', gettext("Overdue"))
    due_today = format_html(' <span class="badge badge--warning">{}</span>', gettext("Today"))

    def write(day: date | None) -> str:
        shown = _day(day, context, "DATE_FORMAT")
        # As the template compared them: a missing day is neither past nor today.
        if day is None:
            return shown
        if day < today:
            return shown + overdue
        return shown + due_today if day == today else shown

    return _Once(write)


def _choices(model: type[Model], field: str, context) -> _Once:
    """``{{ instance.get_FIELD_display }}``, once a value: the choice's label, else the value itself."""
    labels = dict(model._meta.get_field(field).flatchoices)
    return _Once(lambda value: _shown(labels.get(value, value), context))


def _rows(rows) -> str:
    return mark_safe("".join(rows))  # noqa: S308 (every value in a row is escaped)


@register.simple_tag(takes_context=True)
def contact_rows(context, cases, today: date) -> str:
    """Cases whose contact is due (listed rows of ``my_tasks``): client code, name, due day, last contact."""
    labels = _labels(code="Client code", name="Name", due="Due", contact="Last contact")
    due = _due(context, today)
    agreed = format_html(' <span class="small muted">{}</span>', gettext("(agreed)"))
    no_contact = conditional_escape(gettext("No contact yet"))
    return _rows(
        _CONTACT_ROW.format(
            **labels,
            url=_link(context, "cases:detail", case.pk),
            code=_text(case.client_code),
            name=_text(case.display_name),
            due=due(case.contact_due_on),
            agreed=agreed if case.next_contact_agreed else "",
            contact=_contact(case.last_contact_at, context) if case.last_contact_at else no_contact,
        )
        for case in cases
    )


@register.simple_tag(takes_context=True)
def step_rows(context, steps, today: date) -> str:
    """Action steps due: client code, the step (linked to its goal), who does it, due day."""
    labels = _labels(code="Client code", step="Step", who="Who does it", due="Due")
    due = _due(context, today)
    owners = _choices(ActionStep, "owner", context)
    return _rows(
        _STEP_ROW.format(
            **labels,
            code=_text(step.goal.case.survivor.client_code),
            url=_link(context, "phases:goal_detail", step.goal.case_id, step.goal_id),
            step=_text(step.description),
            who=owners(step.owner) + (f": {_text(step.partner)}" if step.partner else ""),
            due=due(step.due_on),
        )
        for step in steps
    )


@register.simple_tag(takes_context=True)
def safety_review_rows(context, plans, today: date) -> str:
    """Safety plans to review: client code (linked to the plan), name, version, review day."""
    labels = _labels(code="Client code", name="Name", plan="Plan", review="Review by")
    due = _due(context, today)
    version = gettext("Version %(version)s")
    return _rows(
        _SAFETY_REVIEW_ROW.format(
            **labels,
            url=_link(context, "cases:safety_plan", plan.case_id),
            code=_text(plan.case.survivor.client_code),
            name=_text(plan.case.survivor.display_name),
            plan=_filled(version, "Version %(version)s", {"version": _shown(plan.version, context)}),
            review=due(plan.review_on),
        )
        for plan in plans
    )


@register.simple_tag(takes_context=True)
def release_rows(context, releases) -> str:
    """Releases about to expire: client code (linked to the case's releases), name, with whom, expiry."""
    labels = _labels(code="Client code", name="Name", shared="Shared with", expires="Expires on")
    days = _days(context)
    return _rows(
        _RELEASE_ROW.format(
            **labels,
            url=_link(context, "cases:detail", release.case_id),
            code=_text(release.case.survivor.client_code),
            name=_text(release.case.survivor.display_name),
            shared=_shown(release, context),
            expires=days(release.expires_on),
        )
        for release in releases
    )


@register.simple_tag(takes_context=True)
def request_rows(context, requests) -> str:
    """Money requests waiting (with the ``client_code`` of ``my_tasks``): number (linked), client code,
    amount, status, day needed by."""
    labels = _labels(request="Request", code="Client code", amount="Amount", status="Status", needed="Needed by")
    days = _days(context)
    amounts = _Once(lambda amount: _shown(floatformat(amount, "2g"), context))
    statuses = _choices(AssistanceRequest, "status", context)
    return _rows(
        _REQUEST_ROW.format(
            **labels,
            url=_link(context, "assistance:request", asked.pk),
            number=_text(asked.number),
            code=_text(asked.client_code),
            amount=amounts(asked.amount),
            status=statuses(asked.status),
            needed=days(asked.needed_by),
        )
        for asked in requests
    )


@register.simple_tag(takes_context=True)
def closure_rows(context, closures) -> str:
    """Closures waiting for a supervisor: client code (linked to the case's closure), name, reason, day asked."""
    labels = _labels(code="Client code", name="Name", reason="Reason", asked="Asked on")
    reasons = _choices(Closure, "reason", context)
    return _rows(
        _CLOSURE_ROW.format(
            **labels,
            url=_link(context, "cases:detail", closure.case_id),
            code=_text(closure.case.survivor.client_code),
            name=_text(closure.case.survivor.display_name),
            reason=reasons(closure.reason),
            asked=_day(closure.requested_at, context, "DATE_FORMAT"),
        )
        for closure in closures
    )


@register.simple_tag(takes_context=True)
def without_plan_rows(context, cases) -> str:
    """Cases without a plan (listed rows of ``my_tasks``): client code (linked to the plan), name, day enrolled."""
    labels = _labels(code="Client code", name="Name", enrolled="Enrolled on")
    days = _days(context)
    return _rows(
        _WITHOUT_PLAN_ROW.format(
            **labels,
            url=_link(context, "phases:plan", case.pk),
            code=_text(case.client_code),
            name=_text(case.display_name),
            enrolled=days(case.enrolled_on),
        )
        for case in cases
    )
