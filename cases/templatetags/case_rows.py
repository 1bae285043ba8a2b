"""``{% load case_rows %}``: the case list's rows, written in Python.

``{% case_rows page.object_list %}`` gives the HTML the list's ``{% for %}`` loop gave, byte for
byte: the same cells, the same escaping, the same translations (``test_list_rows`` holds the
cells to ``cases/_status.html`` and ``cases/_contacts_last.html``). The template engine spends a
few microseconds on every node, and 25 rows of eight cells with filters and ``blocktranslate``
came to most of the page's time, so the rows are built here, as Django's admin builds its result
list; the labels are translated once a page, and each link is cut from one ``reverse()``
(``bloom.templatetags.rows``).
"""

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import slugify
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

from bloom.templatetags.rows import row_url
from cases.sorting import COLUMNS
from cases.templatetags.contact_tags import days_since

register = template.Library()

_ROW = (
    "\n          <tr>"
    '\n            <td data-label="{code_label}"><a href="{url}">{code}</a></td>'
    '\n            <td data-label="{name_label}">{name}</td>'
    '\n            <td data-label="{status_label}"><span class="badge badge--{status}">{status_shown}</span>\n</td>'
    '\n            <td data-label="{team_label}">{team}</td>'
    '\n            <td data-label="{specialists_label}">{specialists}</td>'
    '\n            <td data-label="{phase_label}">{phase}</td>'
    '\n            <td data-label="{opened_label}">{opened}</td>'
    '\n            <td data-label="{contact_label}">{contact}\n</td>'
    "\n          </tr>\n        "
)


def _value(value):
    # As a template reads ``case.specialists.all``: a callable is called.
    return value() if callable(value) else value


def _shown(value, context) -> str:
    """``{{ value }}``: localized and escaped as the template would write it."""
    return render_value_in_context(value, context)


def _day(value, context, format_name: str) -> str:
    """``{{ value|date:format_name }}``, in the reader's time zone as the filter takes it."""
    return _shown(date_filter(template_localtime(value, use_tz=context.use_tz), format_name), context)


def _filled(translated: str, english: str, data: dict) -> str:
    """``{% blocktranslate %}``: ``translated`` with ``data`` (already escaped) put in; a translation
    that does not fit its data gives way to the English, as the tag does."""
    try:
        return translated % data
    except (KeyError, ValueError):
        return english % data


@register.simple_tag(takes_context=True)
def case_rows(context, cases) -> str:
    """The rows of the case list's table for ``cases`` (see the module)."""
    # Each cell's label is its column's heading (``cases.sorting.COLUMNS``), as the table's head shows it.
    labels = {f"{key}_label": conditional_escape(column.label) for key, column in COLUMNS.items()}
    not_assigned = format_html('<span class="muted">{}</span>', gettext("Not assigned"))
    no_plan = format_html('<span class="muted">{}</span>', gettext("No case plan"))
    no_contact = conditional_escape(gettext("No contact yet"))
    contact_due = format_html(' <span class="badge badge--warning">{}</span>', gettext("Contact due"))
    rows = []
    for case in cases:
        survivor = case.survivor
        names = [_shown(s.full_name, context) for s in _value(case.specialists.all)]
        rows.append(
            _ROW.format(
                **labels,
                url=conditional_escape(row_url(context, "cases:detail", case.pk)),
                code=_shown(survivor.client_code, context),
                name=_shown(survivor.display_name or "—", context),
                status=conditional_escape(slugify(case.status)),
                status_shown=_shown(_value(case.get_status_display), context),
                team=_shown(case.team.name, context),
                specialists=", ".join(names) if names else not_assigned,
                phase=_phase(case, context) if case.phase_name else no_plan,
                opened=_day(case.opened_on, context, "SHORT_DATE_FORMAT"),
                contact=(_contact(case.last_contact_at, context) if case.last_contact_at else no_contact)
                + (contact_due if case.contact_overdue else ""),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)


def _phase(case, context) -> str:
    since = _filled(
        gettext("since %(day)s"), "since %(day)s", {"day": _day(case.phase_since, context, "SHORT_DATE_FORMAT")}
    )
    return f'{_shown(case.phase_name, context)} <span class="small muted">{since}</span>'


def _contact(at, context) -> str:
    shown = _day(at, context, "DATE_FORMAT")
    days = days_since(at)
    if days == 0:
        return _filled(gettext("%(date)s (today)"), "%(date)s (today)", {"date": shown})
    one, many = "%(date)s (%(days)s day ago)", "%(date)s (%(days)s days ago)"
    translated = ngettext("%(date)s (%(days)s day ago)", "%(date)s (%(days)s days ago)", days)
    return _filled(translated, one if days == 1 else many, {"date": shown, "days": _shown(days, context)})
