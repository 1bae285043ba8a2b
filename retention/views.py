"""The retention pages: the policy, the preview and the run, the purge log, holds and deletions.

The policy, the preview, the run and the log are the program director's
(``access.may_manage_retention``; anyone else signed in gets a 403). Holds and deletions name a
case, found through ``cases.permissions`` first: a case out of sight is a 404, whoever asks,
and a case in sight that the person may not hold or delete is a 403. The rules are the
services'; a refusal is shown beside the field it names, or as a message.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bloom.audit.models import PurgeLogEntry
from bloom.forms import forms_context, show_refusal
from cases import permissions
from cases.models import Case
from cases.views.pages import case_page
from retention import access, schedule, services
from retention.forms import DeletionForm, HoldForm, LiftForm, PolicyForm, RunPurgeForm
from retention.models import DeletionRequest, Hold, Level, RetentionPolicy

LOG_PAGE_SIZE = 25
DECIDED_PAGE_SIZE = 25
# The numbers of the policy, in the order the page and the log show them.
POLICY_FIELDS = ("narratives_months", "documents_months", "identity_months", "reopen_months", "backup_days")


def _require_manager(request) -> None:
    if not access.may_manage_retention(request.user):
        raise PermissionDenied


# The policy --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyChange:
    at: object
    by: object
    changes: list[tuple[str, int | None, int]]  # (label, old, new)


def _current_policy() -> RetentionPolicy:
    # Not ``load()``: showing the page must not write the row; until it is saved the defaults stand.
    return RetentionPolicy.objects.filter(pk=1).first() or RetentionPolicy(pk=1)


def policy_changes() -> list[PolicyChange]:
    """Every change of the policy, newest first: who, when, and each number's old and new value. One query."""
    labels = {name: RetentionPolicy._meta.get_field(name).verbose_name for name in POLICY_FIELDS}
    rows = RetentionPolicy.history.select_related("history_user").order_by("history_date", "history_id")
    changes, before = [], None
    for row in rows:
        now = {name: getattr(row, name) for name in POLICY_FIELDS}
        changed = [(labels[name], before and before[name], now[name]) for name in POLICY_FIELDS
                   if before is None or before[name] != now[name]]  # fmt: skip
        if changed:
            changes.append(PolicyChange(at=row.history_date, by=row.history_user, changes=changed))
        before = now
    return changes[::-1]


@login_required
@require_http_methods(["GET", "POST"])
def policy(request):
    _require_manager(request)
    current = _current_policy()
    form = PolicyForm(request.POST or None, initial=current.snapshot())
    if request.method == "POST" and form.is_valid():
        try:
            services.set_policy(by=request.user, **form.numbers())
        except services.RetentionError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The retention policy is saved. The next purge follows it."))
            return redirect("retention:policy")
    context = {"form": form, "policy": current, "changes": policy_changes(), **forms_context(form)}
    return render(request, "retention/policy.html", context)


# The preview, the run and the log -------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    due: schedule.Due
    level: str  # what is purged, in words
    holds: list[Hold]  # the active holds on this case that stop it


def _preview_rows(items) -> list[PreviewRow]:
    # A hold on another enrollment of the survivor keeps the identity too: then ``held`` is
    # set and this case has no hold of its own to show.
    labels = dict(Level.choices)
    return [PreviewRow(due=item, level=labels[item.level], holds=item.case.active_holds) for item in items]


def _preview_context(request, run_form) -> dict:
    found = schedule.preview(request.user, today=timezone.localdate())
    return {
        "preview": found,
        "now": _preview_rows(found.now),
        "coming": _preview_rows(found.coming),
        "run_form": run_form,
        **forms_context(run_form),
    }


@login_required
@require_safe
def preview(request):
    _require_manager(request)
    return render(request, "retention/preview.html", _preview_context(request, RunPurgeForm()))


@login_required
@require_POST
def run(request):
    """Queue the purge of what is due now; the worker runs it, and the log shows what it took."""
    _require_manager(request)
    form = RunPurgeForm(request.POST)
    if not form.is_valid():
        return render(request, "retention/preview.html", _preview_context(request, form))
    services.queue_purge(by=request.user)
    messages.success(
        request,
        _("The purge is queued and runs in a moment. Its entry appears here when it is done, if anything was due."),
    )
    return redirect("retention:log")


# How the purge log's counts (``retention.purge.COUNTS``, and the cases) read on the page.
COUNT_LABELS = {
    "cases": _lazy("cases"),
    "rows": _lazy("records blanked"),
    "history rows": _lazy("history rows blanked"),
    "files": _lazy("files deleted"),
    "report files": _lazy("generated reports deleted"),
    "notifications": _lazy("notifications deleted"),
    "access log entries": _lazy("access log reasons blanked"),
    "requests": _lazy("requests for help"),
}


@dataclass(frozen=True)
class LogRow:
    entry: PurgeLogEntry
    levels: list[tuple[str, int, list[tuple[str, int]]]]  # (what, cases, [(count's label, number)]) in run order
    shown: list[tuple[int, str]]  # (case id, client code) of the cases the reader may see
    hidden: int  # how many other cases it took


def _log_rows(user, entries) -> list[LogRow]:
    """Each entry with its counts by level and its cases: by client code those ``user`` may see
    (one query for the page), the rest as a count."""
    ids = {case_id for entry in entries for listed in entry.cases.values() for case_id in listed}
    visible = {}
    if ids:
        visible = dict(permissions.visible_cases(user).filter(pk__in=ids).values_list("pk", "survivor__client_code"))
    labels = {
        **dict(Level.choices),
        schedule.AUDIT: _("Records kept for a grant audit"),
        schedule.REQUESTS: _("Requests for help closed without an intake"),
    }
    order = [*schedule.LEVELS, schedule.AUDIT, schedule.REQUESTS]
    rows = []
    for entry in entries:
        levels = sorted(entry.counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        case_ids = list(dict.fromkeys(case_id for listed in entry.cases.values() for case_id in listed))
        shown = sorted(((pk, visible[pk]) for pk in case_ids if pk in visible), key=lambda pair: pair[1])
        rows.append(
            LogRow(
                entry=entry,
                levels=[
                    (
                        labels.get(level, level),
                        counts.get("cases", 0),
                        [(COUNT_LABELS.get(name, name), n) for name, n in counts.items() if name != "cases" and n],
                    )
                    for level, counts in levels
                ],
                shown=shown,
                hidden=len(case_ids) - len(shown),
            )
        )
    return rows


@login_required
@require_safe
def purge_log(request):
    _require_manager(request)
    page = Paginator(PurgeLogEntry.objects.select_related("by"), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": _log_rows(request.user, list(page.object_list)),
        "policy_labels": [(name, RetentionPolicy._meta.get_field(name).verbose_name) for name in POLICY_FIELDS],
    }
    return render(request, "retention/log.html", context)


# Holds ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def hold_place(request, case_pk):
    case = permissions.get_case_for(request.user, case_pk)
    if not access.can_hold(request.user, case):
        raise PermissionDenied
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_hold(case, by=request.user, reason=form.cleaned_data["reason"])
        except services.RetentionError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The hold is placed: no purge of this case runs until it is lifted."))
            return redirect(case)
    return case_page(request, case, "retention/hold_form.html", {"form": form, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def hold_lift(request, pk):
    holds = Hold.objects.filter(case__in=permissions.visible_cases(request.user).values("pk"))
    hold = get_object_or_404(holds.select_related("case__survivor", "case__team", "placed_by"), pk=pk)
    case = hold.case
    if not access.can_hold(request.user, case):
        raise PermissionDenied
    if not hold.active:
        messages.info(request, _("That hold was already lifted."))
        return redirect(case)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lift_hold(hold, by=request.user, note=form.cleaned_data["note"])
        except services.RetentionError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The hold is lifted. The case is purged when the policy says."))
            return redirect(case)
    context = {"form": form, "hold": hold, **forms_context(form)}
    return case_page(request, case, "retention/lift_form.html", context)


# Deletions ------------------------------------------------------------------------------------


def _deletions_for(user):
    """Deletion requests about survivors ``user`` may see, each with one of their cases to link to."""
    visible = permissions.visible_cases(user)
    first_case = visible.filter(survivor=OuterRef("survivor")).order_by("-opened_on", "-pk").values("pk")[:1]
    return (
        DeletionRequest.objects.filter(survivor__in=permissions.visible_survivors(user))
        .select_related("survivor", "requested_by", "decided_by")
        .annotate(case_pk=Subquery(first_case))
    )


@login_required
@require_http_methods(["GET", "POST"])
def deletion_new(request, case_pk):
    case = permissions.get_case_for(request.user, case_pk)
    if not access.can_delete_record(request.user, case):
        raise PermissionDenied
    waiting = DeletionRequest.objects.filter(survivor=case.survivor_id, status=DeletionRequest.Status.WAITING).first()
    form = DeletionForm(request.POST or None)
    if request.method == "POST" and waiting is None and form.is_valid():
        try:
            services.request_deletion(
                case, by=request.user, why=form.cleaned_data["why"], reason=form.cleaned_data["reason"]
            )
        except services.RetentionError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Deleting the record of %(code)s now waits for a second authorised person to confirm it.")
                % {"code": case.survivor.client_code},
            )
            return redirect("retention:deletions")
    enrollments = Case.objects.filter(survivor=case.survivor_id).count()
    context = {"form": form, "waiting": waiting, "enrollments": enrollments, **forms_context(form)}
    return case_page(request, case, "retention/deletion_form.html", context)


@login_required
@require_safe
def deletions(request):
    if not access.may_delete_records(request.user):
        raise PermissionDenied
    requests = _deletions_for(request.user)
    waiting = list(requests.filter(status=DeletionRequest.Status.WAITING).order_by("requested_at", "pk"))
    decided = requests.exclude(status=DeletionRequest.Status.WAITING).order_by("-decided_at", "-pk")
    hidden_waiting = (
        DeletionRequest.objects.filter(status=DeletionRequest.Status.WAITING)
        .exclude(survivor__in=permissions.visible_survivors(request.user))
        .count()
    )
    context = {
        "waiting": waiting,
        "page": Paginator(decided, DECIDED_PAGE_SIZE).get_page(request.GET.get("page")),
        "hidden_waiting": hidden_waiting,
        "can_manage_retention": access.may_manage_retention(request.user),
    }
    return render(request, "retention/deletions.html", context)


def _deletion_for(request, pk) -> DeletionRequest:
    found = get_object_or_404(_deletions_for(request.user), pk=pk)
    if not access.may_delete_records(request.user):
        raise PermissionDenied
    return found


@login_required
@require_POST
def deletion_confirm(request, pk):
    deletion = _deletion_for(request, pk)
    try:
        services.confirm_deletion(deletion, by=request.user)
    except services.RetentionError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The record of %(code)s is deleted. What the reports count is kept, without who it was.")
            % {"code": deletion.survivor.client_code},
        )
    return redirect("retention:deletions")


@login_required
@require_POST
def deletion_withdraw(request, pk):
    deletion = _deletion_for(request, pk)
    try:
        services.withdraw_deletion(deletion, by=request.user)
    except services.RetentionError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is withdrawn; nothing was deleted."))
    return redirect("retention:deletions")
