"""Training pages: events and their attendees, typing in paper surveys, the results per event
and over a period, curricula, trainers and their certifications, and survey versions.

Every read goes through ``training.access``: a record out of sight is a 404, one in sight
that the reader may not change a 403. The survey link's pages are in ``training.public``.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bloom import translated
from bloom.access import require
from bloom.forms import forms_context, show_refusal
from training import access, charts, evaluation, queries, services
from training.forms import (
    AttendeeForm,
    CertificationForm,
    CurriculumForm,
    EventForm,
    PaperSurveyForm,
    PeriodForm,
    TrainerForm,
    WordingForm,
)
from training.models import Curriculum, FieldOfWork, SurveyInstrument, SurveyResponse

PAGE_SIZE = 25


# --- events ---------------------------------------------------------------------------------


@login_required
@require_safe
def home(request):
    """The trainer's list of events, the coming ones first."""
    require(access.holds(request.user, access.SEE_EVENTS))
    now = timezone.now()
    events = queries.with_counts(access.visible_events(request.user))
    page = Paginator(events.filter(starts_at__lt=now).order_by("-starts_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "coming": list(events.filter(starts_at__gte=now).order_by("starts_at", "pk")[:10]),
        "may_add": access.holds(request.user, access.ADD_EVENTS),
        "may_see_results": access.holds(request.user, access.SEE_EVALUATION),
    }
    return render(request, "training/home.html", context)


def _event_form_page(request, form, event=None):
    context = {"form": form, "event": event, "draft_key": f"training-event-{event.pk if event else 'new'}"}
    return render(request, "training/event_form.html", {**context, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request):
    require(access.holds(request.user, access.ADD_EVENTS))
    initial = {"day": timezone.localdate(), "instrument": SurveyInstrument.objects.filter(is_default=True).first()}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.save_event(None, by=request.user, details=form.details())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Event recorded."))
            return redirect(f"{event_url(event)}?saved=training-event-new")
    return _event_form_page(request, form)


def event_url(event) -> str:
    return reverse("training:event", args=[event.pk])


def survey_link(request, event) -> str:
    return request.build_absolute_uri(reverse("survey:link", args=[event.survey_token]))


@login_required
@require_safe
def event_detail(request, pk):
    event = access.get_event_for(request.user, pk)
    may_change = access.holds(request.user, access.CHANGE_EVENTS)
    context = {
        "event": event,
        "trainers": list(event.trainers.all()),
        "attendees": list(event.attendees.all()),
        "field_labels": [FieldOfWork(v).label for v in event.fields_of_work if v in FieldOfWork.values],
        "counts": dict(
            event.responses.filter(set_aside=False)
            .values_list("phase")
            .annotate(n=Count("pk"))
            .values_list("phase", "n")
        ),
        "link": survey_link(request, event) if event.instrument_id else "",
        "link_states": {phase: services.link_state(event, phase) for phase in SurveyResponse.Phase.values},
        "may_change": may_change,
        "may_enter": access.holds(request.user, access.ENTER_RESPONSES) and event.instrument_id,
        "may_see_results": access.holds(request.user, access.SEE_EVALUATION),
        "attendee_form": AttendeeForm() if may_change else None,
        "saved_draft": request.GET.get("saved", ""),
    }
    return render(request, "training/event_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = access.get_event_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_EVENTS))
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_event(event, by=request.user, details=form.details())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Event saved."))
            return redirect(f"{event_url(event)}?saved=training-event-{event.pk}")
    return _event_form_page(request, form, event)


@login_required
@require_POST
def new_link(request, pk):
    event = access.get_event_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_EVENTS))
    services.new_link(event, by=request.user)
    messages.success(request, _("The old survey link no longer works. Share the new one."))
    return redirect(event_url(event))


@login_required
@require_safe
def survey_sheet(request, pk):
    """A page to print or show on a screen: the survey link and its QR code."""
    event = access.get_event_for(request.user, pk)
    if not event.instrument_id:
        raise Http404
    link = survey_link(request, event)
    context = {"event": event, "link": link, "qr": charts.qr_code(link, title=_("QR code of the survey link"))}
    return render(request, "training/survey_sheet.html", context)


@login_required
@require_POST
def attendee_add(request, pk):
    event = access.get_event_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_EVENTS))
    form = AttendeeForm(request.POST)
    if form.is_valid():
        try:
            attendee = services.add_attendee(event, by=request.user, details=form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("%(name)s added to the list.") % {"name": attendee.full_name})
            return redirect(f"{event_url(event)}#attendees")
    context = {"event": event, "form": form, **forms_context(form)}
    return render(request, "training/attendee_form.html", context, status=422)


@login_required
@require_POST
def attendee_remove(request, pk, attendee_pk):
    event = access.get_event_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_EVENTS))
    attendee = event.attendees.filter(pk=attendee_pk).first()
    if attendee is None:
        raise Http404
    services.remove_attendee(attendee, by=request.user)
    messages.success(request, _("%(name)s taken off the list.") % {"name": attendee.full_name})
    return redirect(f"{event_url(event)}#attendees")


# --- paper surveys --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk):
    """Type in paper surveys one after another, with the keyboard alone."""
    event = access.get_event_for(request.user, pk)
    require(access.holds(request.user, access.ENTER_RESPONSES))
    if event.instrument is None:
        messages.error(request, _("This event has no survey. Choose one on the event first."))
        return redirect(event_url(event))
    layout = queries.survey_layout(event.instrument)
    phase = request.GET.get("phase") if request.GET.get("phase") in SurveyResponse.Phase.values else "pre"
    initial = {"phase": phase}
    if request.GET.get("language") in dict(settings.LANGUAGES):
        initial["language"] = request.GET["language"]
    form = PaperSurveyForm(request.POST or None, layout=layout, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.enter_paper(
                event,
                by=request.user,
                phase=form.cleaned_data["phase"],
                trainee=form.trainee(),
                scores=form.scores(),
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            entered = event.responses.filter(phase=response.phase, source=SurveyResponse.Source.PAPER).count()
            messages.success(
                request,
                ngettext(
                    "Saved. %(n)s paper survey %(phase)s is entered for this event.",
                    "Saved. %(n)s paper surveys %(phase)s are entered for this event.",
                    entered,
                )
                % {"n": entered, "phase": response.get_phase_display().lower()},
            )
            # The next paper starts with the same survey, in the same language.
            same = {"phase": response.phase}
            if response.language != settings.LANGUAGE_CODE:
                same["language"] = response.language
            query = urlencode(same)
            return redirect(f"{reverse('training:paper_entry', args=[event.pk])}?{query}")
    context = {"event": event, "form": form, **forms_context(form)}
    return render(request, "training/paper_entry.html", context)


@login_required
@require_safe
def responses(request, pk):
    event = access.get_event_for(request.user, pk)
    require(access.holds(request.user, access.ENTER_RESPONSES))
    listed = event.responses.select_related("entered_by").order_by("-submitted_at", "-pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"event": event, "page": page, "may_set_aside": access.holds(request.user, access.SET_ASIDE_RESPONSES)}
    return render(request, "training/responses.html", context)


@login_required
@require_POST
def set_aside(request, pk, response_pk):
    event = access.get_event_for(request.user, pk)
    response = access.get_response_for(request.user, event, response_pk)
    require(access.holds(request.user, access.SET_ASIDE_RESPONSES))
    services.set_aside(response, by=request.user)
    messages.success(request, _("Survey set aside: it is left out of the results."))
    return redirect("training:responses", pk=event.pk)


# --- results --------------------------------------------------------------------------------


def _results_context(result: evaluation.Evaluation, chart_id: str) -> dict:
    drawn = charts.construct_charts(result, chart_id=chart_id)
    return {"result": result, "sections": list(zip(result.constructs, drawn, strict=True)), "chart_prefix": chart_id}


@login_required
@require_safe
def event_results(request, pk):
    event = access.get_event_for(request.user, pk)
    require(access.holds(request.user, access.SEE_EVALUATION))
    result = evaluation.evaluate(access.visible_events(request.user).filter(pk=event.pk))
    return render(request, "training/event_results.html", {"event": event, **_results_context(result, "event")})


@login_required
@require_safe
def results(request):
    """The surveys and the totals over a period: the funder's view of the training."""
    require(access.holds(request.user, access.SEE_EVALUATION))
    form = PeriodForm(request.GET) if "start" in request.GET else PeriodForm.default(timezone.localdate())
    context = {"form": form, **forms_context(form)}
    if form.is_valid():
        data = form.cleaned_data
        events = evaluation.events_between(access.visible_events(request.user), data["start"], data["end"])
        result = evaluation.evaluate(events)
        activity = queries.activity(events, by=data["by"])
        context.update(
            _results_context(result, "period"),
            activity=activity,
            activity_chart=charts.activity_chart(activity),
            parameters={"start": data["start"].isoformat(), "end": data["end"].isoformat(), "by": data["by"]},
        )
    return render(request, "training/results.html", context, status=200 if form.is_valid() else 422)


# --- curricula ------------------------------------------------------------------------------


@login_required
@require_safe
def curriculum_list(request):
    require(access.holds(request.user, access.SEE_CURRICULA))
    curricula = access.visible_curricula(request.user).order_by("-active", "name", "version")
    context = {
        "curricula": Paginator(curricula, 100).get_page(request.GET.get("page")),
        "may_change": access.holds(request.user, access.CHANGE_CURRICULA),
    }
    return render(request, "training/curriculum_list.html", context)


def _curriculum_form(request, curriculum: Curriculum | None):
    require(access.holds(request.user, access.CHANGE_CURRICULA))
    form = CurriculumForm(request.POST or None, instance=curriculum)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_curriculum(
                Curriculum.objects.get(pk=curriculum.pk) if curriculum else None,
                by=request.user,
                details=form.details(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, _("Curriculum %(name)s saved.") % {"name": f"{saved.local('name')} ({saved.version})"}
            )
            return redirect("training:curricula")
    context = {"form": form, "curriculum": curriculum, **forms_context(form)}
    return render(request, "training/curriculum_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_new(request):
    return _curriculum_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_edit(request, pk):
    return _curriculum_form(request, access.get_curriculum_for(request.user, pk))


# --- trainers -------------------------------------------------------------------------------


@login_required
@require_safe
def trainer_list(request):
    require(access.holds(request.user, access.SEE_TRAINERS))
    trainers = (
        access.visible_trainers(request.user)
        .select_related("organization")
        .prefetch_related("certifications__curriculum")
    )
    context = {
        "page": Paginator(trainers.order_by("-active", "full_name", "pk"), PAGE_SIZE).get_page(request.GET.get("page")),
        "may_change": access.holds(request.user, access.CHANGE_TRAINERS),
        "today": timezone.localdate(),
    }
    return render(request, "training/trainer_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def trainer_new(request):
    require(access.holds(request.user, access.CHANGE_TRAINERS))
    form = TrainerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trainer = services.save_trainer(None, by=request.user, details=form.details())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Trainer %(name)s added.") % {"name": trainer.full_name})
            return redirect("training:trainer", pk=trainer.pk)
    return render(request, "training/trainer_form.html", {"form": form, **forms_context(form)})


def _trainer_page(request, trainer, form, status=200):
    context = {
        "trainer": trainer,
        "certifications": list(trainer.certifications.select_related("curriculum", "recorded_by")),
        "events": list(queries.with_counts(trainer.events.all()).order_by("-starts_at")[:PAGE_SIZE]),
        "form": form,
        "today": timezone.localdate(),
        **forms_context(*([form] if form else [])),
    }
    return render(request, "training/trainer_detail.html", context, status=status)


@login_required
@require_safe
def trainer_detail(request, pk):
    trainer = access.get_trainer_for(request.user, pk)
    may_change = access.holds(request.user, access.CHANGE_TRAINERS)
    return _trainer_page(request, trainer, CertificationForm() if may_change else None)


@login_required
@require_http_methods(["GET", "POST"])
def trainer_edit(request, pk):
    trainer = access.get_trainer_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_TRAINERS))
    form = TrainerForm(request.POST or None, instance=trainer)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_trainer(trainer, by=request.user, details=form.details())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Trainer saved."))
            return redirect("training:trainer", pk=trainer.pk)
    return render(request, "training/trainer_form.html", {"form": form, "trainer": trainer, **forms_context(form)})


@login_required
@require_POST
def certify(request, pk):
    trainer = access.get_trainer_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_TRAINERS))
    form = CertificationForm(request.POST)
    if form.is_valid():
        try:
            services.certify(trainer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Certification recorded."))
            return redirect("training:trainer", pk=trainer.pk)
    return _trainer_page(request, trainer, form, status=422)


# --- survey versions ------------------------------------------------------------------------


@login_required
@require_safe
def instrument_list(request):
    require(access.holds(request.user, access.SEE_INSTRUMENTS))
    instruments = access.visible_instruments(request.user).annotate(
        event_count=Count("events", distinct=True), response_count=Count("responses", distinct=True)
    )
    return render(request, "training/instrument_list.html", {"instruments": list(instruments[:200])})


@login_required
@require_safe
def instrument_detail(request, pk):
    instrument = access.get_instrument_for(request.user, pk)
    context = {
        "instrument": instrument,
        "layout": queries.survey_layout(instrument),
        "languages": translated.other_languages(),
        "in_use": instrument.in_use,
        "may_change": access.holds(request.user, access.CHANGE_INSTRUMENTS),
    }
    return render(request, "training/instrument_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def instrument_edit(request, pk):
    instrument = access.get_instrument_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_INSTRUMENTS))
    if instrument.in_use:
        messages.error(request, _("Events already use this version, so it cannot change. Make a new version."))
        return redirect("training:instrument", pk=instrument.pk)
    form = WordingForm(request.POST or None, layout=queries.survey_layout(instrument))
    if request.method == "POST" and form.is_valid():
        try:
            services.reword(
                instrument,
                by=request.user,
                constructs=form.constructs(),
                items=form.items(),
                construct_translations=form.construct_translations(),
                item_translations=form.item_translations(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Wording saved."))
            return redirect("training:instrument", pk=instrument.pk)
    context = {"instrument": instrument, "form": form, **forms_context(form)}
    return render(request, "training/instrument_form.html", context)


@login_required
@require_POST
def instrument_revise(request, pk):
    instrument = access.get_instrument_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_INSTRUMENTS))
    revision = services.revise(instrument, by=request.user)
    messages.success(request, _("Version %(n)s made. Change its words, then use it for new events.") % {
        "n": revision.version
    })  # fmt: skip
    return redirect("training:instrument_edit", pk=revision.pk)


@login_required
@require_POST
def instrument_default(request, pk):
    instrument = access.get_instrument_for(request.user, pk)
    require(access.holds(request.user, access.CHANGE_INSTRUMENTS))
    services.make_default(instrument, by=request.user)
    messages.success(request, _("New events will use %(name)s.") % {"name": instrument})
    return redirect("training:instruments")
