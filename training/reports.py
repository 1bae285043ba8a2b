"""The evaluation report as a PDF: for one event, or for every event over a period.

``bloom.reports`` builds it in the background (a ``ReportJob``) through these functions; it
shows the same tables and the same SVG charts as the results pages. It is aggregate-only:
the surveys are anonymous and the report names no attendee.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bloom.accounts.models import User
from bloom.reports.pdf import render_pdf
from training import access, charts, evaluation, queries
from training.forms import PeriodForm
from training.models import TrainingEvent


def authorize_event(user: User, pk: int) -> TrainingEvent:
    """The event ``pk`` if ``user`` may see it and its results, else ``Http404``."""
    event = access.get_event_for(user, pk)
    if not access.holds(user, access.SEE_EVALUATION):
        raise Http404
    return event


def authorize_period(user: User, pk: int) -> QuerySet[TrainingEvent]:
    """The events ``user`` may see the results of (the report's subject is a period, not one record)."""
    if pk != 0 or not access.holds(user, access.SEE_EVALUATION):
        raise Http404
    return access.visible_events(user)


def period_parameters(data) -> dict:
    """The period asked for in a request's ``data``, checked as the results page checks it."""
    form = PeriodForm(data)
    if not form.is_valid():
        raise ValidationError([message for errors in form.errors.values() for message in errors])
    return {"start": form.cleaned_data["start"].isoformat(), "end": form.cleaned_data["end"].isoformat(),
            "by": form.cleaned_data["by"]}  # fmt: skip


def _context(result, *, title: str, subtitle: str, requested_by: User, activity=None) -> dict:
    drawn = charts.construct_charts(result, chart_id="pdf", for_pdf=True)
    return {
        "title": title,
        "subtitle": subtitle,
        "result": result,
        "sections": list(zip(result.constructs, drawn, strict=True)),
        "chart_prefix": "pdf",
        "activity": activity,
        "activity_chart": charts.activity_chart(activity, for_pdf=True) if activity else None,
        "open_periods": True,
        "generated_at": timezone.localtime(),
        "generated_by": requested_by,
    }


def event_report(event: TrainingEvent, *, requested_by: User, progress: Callable[[int], None]) -> tuple[str, bytes]:
    result = evaluation.evaluate(TrainingEvent.objects.filter(pk=event.pk))
    progress(40)
    day = timezone.localtime(event.starts_at).date()
    context = _context(result, title=event.curriculum.local("name"), subtitle=date_format(day, "DATE_FORMAT"),
                       requested_by=requested_by)  # fmt: skip
    pdf = render_pdf("training/evaluation_pdf.html", context)
    progress(90)
    return f"training-evaluation-{day:%Y-%m-%d}-{event.pk}.pdf", pdf


def period_report(events, *, requested_by: User, progress, parameters: dict) -> tuple[str, bytes]:
    start, end = date.fromisoformat(parameters["start"]), date.fromisoformat(parameters["end"])
    chosen = evaluation.events_between(events, start, end)
    result = evaluation.evaluate(chosen)
    activity = queries.activity(chosen, by=parameters.get("by", "quarter"))
    progress(40)
    subtitle = _("%(start)s to %(end)s") % {
        "start": date_format(start, "DATE_FORMAT"),
        "end": date_format(end, "DATE_FORMAT"),
    }
    context = _context(result, title=_("Community training"), subtitle=subtitle, requested_by=requested_by,
                       activity=activity)  # fmt: skip
    pdf = render_pdf("training/evaluation_pdf.html", context)
    progress(90)
    return f"training-evaluation-{start:%Y-%m-%d}-{end:%Y-%m-%d}.pdf", pdf
