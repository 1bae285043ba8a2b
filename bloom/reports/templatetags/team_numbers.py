"""``{% load team_numbers %}``: the cells of a row of the team dashboard's numbers, written in Python.

``number_cells`` gives the HTML the page's ``{% for number in row.numbers %}`` loop and its
``number`` partial gave, byte for byte: the same cells, the same escaping
(``test_pages_unchanged`` holds the page to it). A supervisor's board has a hundred numbers or
more, each a link with words for a screen reader, and the template engine's few microseconds a
node, a dozen nodes a number, came to most of the template's time.
"""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def number_cells(context, row, cases_url: str) -> SafeString:
    """A ``<td>`` for each of ``row``'s numbers (``supervisor.Number``): the count, opening the
    case list at ``cases_url`` with exactly the cases counted, and its note."""
    said = _said(context)
    url = conditional_escape(cases_url)
    row_label = said(row.label)
    cells = []
    for number in row.numbers:
        label = said(number.label)
        if number.count:
            query = conditional_escape(number.query)
            count = conditional_escape(localize(number.count))
            hidden = f'<span class="visually-hidden"> ({row_label}: {label})</span>'
            shown = f'<a href="{url}?{query}">{count}{hidden}</a>'
        else:
            shown = "0"
        if number.note:
            shown += f'<br><span class="small muted">{conditional_escape(number.note)}</span>'
        cells.append(f'<td class="table__num" data-label="{label}">{shown}</td>')
    return mark_safe("".join(cells))  # noqa: S308 (every value above is escaped)


def _said(context):
    """``conditional_escape`` once a page for each label: a column's label, translated lazily,
    stands on every row of its table, and each use would translate it again."""
    escaped = context.render_context.setdefault("team_numbers.escaped", {})

    def said(text) -> str:
        # By identity (a lazy text hashes by translating itself); the text is held with it, so
        # no other object takes its id while the page is written.
        found = escaped.get(id(text))
        if found is None:
            found = escaped[id(text)] = (text, conditional_escape(text))
        return found[1]

    return said
