"""Training's charts, made by the platform (``bloom.charts``), and the survey link's QR code.

The results page and its PDF draw the same charts from the same functions; the PDF's carry
their own colours (``for_pdf``), since WeasyPrint does not style an inline SVG from the page.
"""

import io

import segno
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from bloom import charts

# Before in the amber tone, after in the primary teal, as in every before-and-after of Bloom's
# palette; the activity chart draws sessions in the teal and attendees in the amber.
TEAL, AMBER = 0, 1


def construct_charts(result, *, chart_id: str, for_pdf: bool = False) -> list[charts.Chart]:
    """One chart per construct: the average before and after, overall and for each field of work with answers."""
    drawn = []
    for index, construct in enumerate(result.constructs):
        scale = construct.scale
        rows = [(_("All fields of work"), construct.overall)] + [
            (cell.label, cell.comparison)
            for cell in construct.by_field
            if cell.comparison.n_before + cell.comparison.n_after
        ]
        direction = _("lower is better") if scale.lower_is_better else _("higher is better")
        drawn.append(
            charts.bars(
                [label for label, _comparison in rows],
                [
                    charts.Series(_("Before"), [c.mean_before for _label, c in rows], tone=AMBER),
                    charts.Series(_("After"), [c.mean_after for _label, c in rows], tone=TEAL),
                ],
                # Measured from one below the scale's lowest answer, so the lowest still shows a bar.
                low=scale.low - 1,
                high=scale.high,
                fmt=charts.decimals(1),
                chart_id=f"{chart_id}-{scale.code}-{index}",
                title=_("%(construct)s: average before and after the training") % {"construct": scale.title},
                desc=_("Averages on a scale of %(low)s to %(high)s (%(direction)s), overall and by field of work.")
                % {"low": scale.low, "high": scale.high, "direction": direction},
                label_heading=_("Field of work"),
                for_pdf=for_pdf,
            )
        )
    return drawn


def activity_chart(activity, *, for_pdf: bool = False) -> charts.Chart:
    """Sessions and attendees by audience, each against its own largest value.

    Only the number stands beside a bar: the legend beside the chart names the two tones, since
    words beside the longest bar ran past the chart's edge.
    """
    rows = [(label, totals) for label, totals in activity.by_audience if totals.sessions]
    return charts.bars(
        [label for label, _totals in rows],
        [
            charts.Series(_("Sessions"), [totals.sessions for _label, totals in rows], tone=TEAL),
            charts.Series(_("Attendees"), [totals.attendees for _label, totals in rows], tone=AMBER),
        ],
        own_scale=True,
        chart_id="activity",
        title=_("Training sessions and attendees by audience"),
        desc=_("For each audience, the number of sessions and of attendees in the period."),
        label_heading=_("Audience"),
        for_pdf=for_pdf,
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
