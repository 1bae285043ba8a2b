"""Training's charts, drawn on the server as SVG, and the survey link's QR code.

As for every chart in Bloom: drawn at a phone's width, no script and no ``style`` attribute
(the Content Security Policy allows neither), a ``<title>`` and a ``<desc>``, a ``<title>`` on
every bar, and the page shows the same numbers in a table beside it. The results page and
its PDF draw the same charts from the same function.
"""

import io
from decimal import ROUND_HALF_UP, Decimal

import segno
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 360
VALUE_WIDTH, LABEL_HEIGHT, BAR_HEIGHT, BAR_GAP, GAP, TOP = 44, 16, 12, 2, 10, 4
DIGIT_WIDTH = 8  # a 12 px digit, rounded up (DejaVu Sans draws it 7.6 px wide)
TEXT_FILL = "#1d2830"
# Before in a light shade, after in the full colour: told apart by the legend and each bar's title.
# The activity chart draws sessions in the full colour and attendees in the light shade.
BEFORE_FILL, AFTER_FILL = "#8fb9bd", "#0d5c63"
TENTH = Decimal("0.1")


def _px(value) -> str:
    return str(Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP))


def _shown(value: float, places: int) -> str:
    # Rounded as the tables round it: number_format alone cuts a float off (4.17 as 4.1).
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(exact, decimal_pos=places, force_grouping=True)


def _svg(parts: list, *, height: int, chart_id: str, title: str, desc: str) -> SafeString:
    return format_html(
        '<svg class="chart chart--bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{bars}</svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=title,
        desc=desc,
        bars=SafeString("".join(parts)),
    )


def grouped_bars(
    rows: list[tuple[str, list[tuple[str, str, float | None]]]],
    *,
    low: float,
    high: float,
    places: int,
    chart_id: str,
    title: str,
    desc: str,
) -> SafeString:
    """Under each row's label, one bar per (series name, fill, value), measured from ``low`` to ``high``.

    A missing value leaves its bar out. Nothing is drawn when no row has a value.
    """
    if not any(value is not None for _label, bars in rows for _name, _fill, value in bars):
        return SafeString("")
    plot, span = Decimal(WIDTH - VALUE_WIDTH), Decimal(str(high - low)) or Decimal(1)
    parts, y = [], TOP
    for label, bars in rows:
        parts.append(format_html('<text x="0" y="{}" font-size="13" fill="{}">{}</text>', y + 12, TEXT_FILL, label))
        y += LABEL_HEIGHT
        for name, fill, value in bars:
            if value is not None:
                length = max(plot * (Decimal(str(value)) - Decimal(str(low))) / span, Decimal(1))
                shown = _shown(value, places)
                parts.append(
                    format_html(
                        '<rect x="0" y="{}" width="{}" height="{}" fill="{}"><title>{}, {}: {}</title></rect>'
                        '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                        y,
                        _px(length),
                        BAR_HEIGHT,
                        fill,
                        label,
                        name,
                        shown,
                        _px(length + 5),
                        y + BAR_HEIGHT - 2,
                        TEXT_FILL,
                        shown,
                    )
                )
            y += BAR_HEIGHT + BAR_GAP
        y += GAP
    return _svg(parts, height=y + TOP, chart_id=chart_id, title=title, desc=desc)


def construct_charts(result, *, chart_id: str) -> list[SafeString]:
    """One chart per construct: the average before and after, overall and for each field of work with answers."""
    charts = []
    before, after = _("Before"), _("After")
    for index, construct in enumerate(result.constructs):
        scale = construct.scale
        rows = [(_("All fields of work"), construct.overall)] + [
            (cell.label, cell.comparison)
            for cell in construct.by_field
            if cell.comparison.n_before + cell.comparison.n_after
        ]
        data = [(label, [(before, BEFORE_FILL, c.mean_before), (after, AFTER_FILL, c.mean_after)]) for label, c in rows]
        direction = _("lower is better") if scale.lower_is_better else _("higher is better")
        charts.append(
            grouped_bars(
                data,
                low=scale.low - 1,
                high=scale.high,
                places=1,
                chart_id=f"{chart_id}-{scale.code}-{index}",
                title=_("%(construct)s: average before and after the training") % {"construct": scale.title},
                desc=_("Averages on a scale of %(low)s to %(high)s (%(direction)s), overall and by field of work.")
                % {"low": scale.low, "high": scale.high, "direction": direction},
            )
        )
    return charts


def activity_chart(activity) -> SafeString:
    """Sessions and attendees by audience, each against its own largest value.

    Only the number stands beside a bar: the legend under the chart names the two shades, since
    words beside the longest bar ran past the chart's edge.
    """
    rows = [(label, totals) for label, totals in activity.by_audience if totals.sessions]
    if not rows:
        return SafeString("")
    sessions, attendees = _("Sessions"), _("Attendees")
    most_sessions = max(t.sessions for _label, t in rows)
    most_attendees = max(t.attendees for _label, t in rows) or 1
    # The largest numbers stand beside the longest bars: the bars leave room for the widest of them.
    widest = max(len(number_format(n, force_grouping=True)) for n in (most_sessions, most_attendees))
    plot = Decimal(WIDTH - max(VALUE_WIDTH, 5 + DIGIT_WIDTH * widest + 2))
    parts, y = [], TOP
    for label, totals in rows:
        parts.append(format_html('<text x="0" y="{}" font-size="13" fill="{}">{}</text>', y + 12, TEXT_FILL, label))
        y += LABEL_HEIGHT
        for name, fill, value, top in (
            (sessions, AFTER_FILL, totals.sessions, most_sessions),
            (attendees, BEFORE_FILL, totals.attendees, most_attendees),
        ):
            length = max(plot * Decimal(value) / Decimal(top), Decimal(1))
            shown = number_format(value, force_grouping=True)
            parts.append(
                format_html(
                    '<rect x="0" y="{}" width="{}" height="{}" fill="{}"><title>{}, {}: {}</title></rect>'
                    '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                    y,
                    _px(length),
                    BAR_HEIGHT,
                    fill,
                    label,
                    name,
                    shown,
                    _px(length + 5),
                    y + BAR_HEIGHT - 2,
                    TEXT_FILL,
                    shown,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GAP
    return _svg(
        parts,
        height=y + TOP,
        chart_id="activity",
        title=_("Training sessions and attendees by audience"),
        desc=_("For each audience, the number of sessions and of attendees in the period."),
    )


def qr_code(link: str, *, title: str) -> SafeString:
    """The QR code of ``link`` (our own URL, never user markup) as inline SVG."""
    buffer = io.BytesIO()
    # omitsize: a viewBox instead of a fixed width and height, so that the code scales to the
    # box the page gives it instead of being cut off at its edge (and no longer scanning).
    segno.make(link, error="m").save(
        buffer, kind="svg", xmldecl=False, nl=False, scale=6, title=title, svgclass="qr", omitsize=True
    )
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 (segno's SVG of our own URL)
