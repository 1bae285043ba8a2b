"""One request for money, seen by those who work its case or pay it; the queue of what waits.

A request is found through ``assistance.access`` only: a person who may not see it gets a
404, as for one that does not exist; one who may see it but not act gets a 403. Finance
sees the client code, amount, payee and purpose, never the rest of the case.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assistance import access, queries
from assistance.forms import PaymentForm, ReasonForm, ReceiptForm
from assistance.models import AssistanceRequest, Category
from assistance.services import requests as services
from assistance.services.common import AssistanceError
from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from bloom.said import Said
from cases import permissions
from cases.models import Case
from cases.views.pages import forms_context, show_refusal

PAGE_SIZE = 25
# Those who may approve or pay a request see, beside the buttons, what the decision needs.
DECIDING = frozenset({access.ACT_APPROVE, access.ACT_PAY})
Status = AssistanceRequest.Status
QUEUES = {
    "approval": (Status.WAITING, Status.SECOND_APPROVAL),
    "payment": (Status.APPROVED,),
}
QUEUED = [status for statuses in QUEUES.values() for status in statuses]


def _label(asked: AssistanceRequest) -> str:
    return asked.number if asked.code_hidden else f"{asked.number} {asked.case.survivor.client_code}"


def _log(request, asked: AssistanceRequest, action=AccessLogEntry.Action.VIEW, reason: str | Said = "") -> None:
    log_access(request, target=asked.case, label=_label(asked), action=action, reason=reason or asked.number)


def _context(request, asked: AssistanceRequest, **extra) -> dict:
    perms = permissions.case_perms(request.user, asked.case)
    return {
        "asked": asked,
        "actions": access.request_actions(request.user, asked, perms),
        "sees_case": permissions.VIEW in perms,
        "second_above": access.second_approval_above(),
        "needs_second": access.needs_second_approval(asked),
        **extra,
    }


@login_required
@require_safe
def request_detail(request, pk):
    asked = access.get_request_for(request.user, pk)
    _log(request, asked)
    context = _context(request, asked)
    if DECIDING & context["actions"]:
        context["room"] = queries.room_for(asked)
        context["received"] = queries.received_by(
            request.user, asked, today=timezone.localdate(), in_kind=context["sees_case"]
        )
    return render(request, "assistance/request_detail.html", context)


@login_required
@require_POST
def request_approve(request, pk):
    asked = access.get_request_for(request.user, pk)
    try:
        approved = services.approve(asked, by=request.user)
    except AssistanceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if approved.status == Status.SECOND_APPROVAL:
            text = _("Approved. Above %(above)s, it now waits for a second approval by finance or the director.")
            messages.success(request, text % {"above": f"${access.second_approval_above():,.2f}"})
        else:
            messages.success(
                request, _("Approved: %(amount)s is committed from the fund.") % {"amount": f"${approved.amount:,.2f}"}
            )
    return redirect("assistance:request", pk=asked.pk)


def _reason_view(request, pk, *, act: str, service, done: str, template: str):
    asked = access.get_request_for(request.user, pk)
    if act not in access.request_actions(request.user, asked):
        if not asked.is_open:
            messages.error(request, _("This request is %(status)s.") % {"status": asked.get_status_display().lower()})
            return redirect("assistance:request", pk=asked.pk)
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(asked, by=request.user, reason=form.cleaned_data["reason"])
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, done)
            return redirect("assistance:request", pk=asked.pk)
    return render(request, template, _context(request, asked, form=form, **forms_context(form)))


@login_required
@require_http_methods(["GET", "POST"])
def request_deny(request, pk):
    return _reason_view(
        request, pk, act=access.ACT_DENY, service=services.deny, done=_("Denied; the person who asked is told why."),
        template="assistance/request_deny.html",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def request_cancel(request, pk):
    return _reason_view(
        request, pk, act=access.ACT_CANCEL, service=services.cancel, done=_("Cancelled."),
        template="assistance/request_cancel.html",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def request_pay(request, pk):
    asked = access.get_request_for(request.user, pk)
    if access.ACT_PAY not in access.request_actions(request.user, asked, frozenset()):
        if asked.status == Status.PAID or (access.holds(request.user, access.PAY) and asked.status != Status.APPROVED):
            messages.error(
                request,
                _("This request is %(status)s; it cannot be paid now.")
                % {"status": asked.get_status_display().lower()},
            )
            return redirect("assistance:request", pk=asked.pk)
        raise PermissionDenied
    form = PaymentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pay(asked, by=request.user, details=form.details(), receipt=form.cleaned_data["receipt"])
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Payment recorded for %(number)s.") % {"number": asked.number})
            return redirect("assistance:request", pk=asked.pk)
    return render(request, "assistance/request_pay.html", _context(request, asked, form=form, **forms_context(form)))


@login_required
@require_http_methods(["GET", "POST"])
def receipt_add(request, pk):
    asked = access.get_request_for(request.user, pk)
    if access.ACT_RECEIPT not in access.request_actions(request.user, asked, frozenset()):
        raise PermissionDenied
    form = ReceiptForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_receipt(asked, by=request.user, upload=form.cleaned_data["receipt"])
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Receipt kept with the payment."))
            return redirect("assistance:request", pk=asked.pk)
    return render(request, "assistance/receipt_form.html", _context(request, asked, form=form, **forms_context(form)))


@login_required
@require_safe
def receipt_download(request, pk):
    """The receipt of a paid request, as an attachment, logged; for those who pay or see the case."""
    asked = access.get_request_for(request.user, pk)
    payment = getattr(asked, "payment", None) if asked.status == Status.PAID else None
    document = payment.receipt if payment else None
    if document is None or document.is_deleted or not document.file or not access.may_see_receipt(request.user, asked):
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    _log(request, asked, action=AccessLogEntry.Action.DOWNLOAD, reason=Said("log.receipt", number=asked.number))
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def home(request):
    """Assistance: the queue for those who approve or pay, the funds for everyone else who may see them."""
    if access.may_use_queue(request.user):
        return redirect("assistance:queue", which="approval")
    if access.holds(request.user, access.SEE_FUNDS):
        return redirect("assistance:funds")
    raise PermissionDenied


@login_required
@require_safe
def queue(request, which):
    """What waits: for approval, or approved and waiting for payment; oldest need first, 25 a page."""
    if which not in QUEUES:
        raise Http404
    if not access.may_use_queue(request.user):
        raise PermissionDenied
    user = request.user
    mine_only = request.GET.get("mine") == "1"
    read = _program_wide_page if access.sees_all_requests(user) else _caseload_page
    counts, page = read(user, which, mine_only=mine_only, number=request.GET.get("page"))
    _label_rows(page.object_list)
    context = {"which": which, "page": page, "counts": counts, "mine_only": mine_only}
    return render(request, "assistance/queue.html", context)


def _label_rows(rows) -> None:
    """Give each row its category's and status's words, looked up once a page (``get_FOO_display``
    builds its table of choices at every call)."""
    categories = {value: str(label) for value, label in Category.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    for row in rows:
        row.category_label = categories.get(row.category, row.category)
        row.status_label = statuses.get(row.status, row.status)


def _mine(user) -> QuerySet:
    return (access.to_approve(user) | access.to_pay(user)).values("pk")


def _program_wide_page(user, which: str, *, mine_only: bool, number):
    """Both tabs' counts and the page of ``which``, for those who see every request: the page is
    read in the order of an index and stops at its 25 rows."""
    waiting = access.visible_requests(user).filter(status__in=QUEUES[which])
    if mine_only:
        waiting = waiting.filter(pk__in=_mine(user))
    # The page's cases and survivors are read for its 25 rows only (one query, by primary key):
    # joined to every waiting request, they would be read for all of them before the sort. Of
    # the survivor, only the client code is read: the queue shows nothing else.
    cases = Case.objects.select_related("survivor").only("id", "survivor", "survivor__client_code")
    rows = waiting.select_related("fund").prefetch_related(Prefetch("case", queryset=cases)).order_by("needed_by", "pk")
    # Both tabs' counts in one query; the tab shown is not counted again for its pages. Counting
    # statuses (never empty) rather than ids, without the client code's join, lets PostgreSQL
    # read an index alone.
    counts = (
        access.visible_requests(user, codes=False)
        .filter(status__in=QUEUED)
        .aggregate(**{name: Count("status", filter=Q(status__in=statuses)) for name, statuses in QUEUES.items()})
    )
    paginator = Paginator(rows, PAGE_SIZE)
    if not mine_only:
        paginator.count = counts[which]
    page = paginator.get_page(number)
    access.mark_turns(page.object_list, user)
    return counts, page


# What a row of the queue shows of a request, its fund and its survivor (the client code only).
ROW_FIELDS = (
    "category", "amount", "payee_kind", "payee_name", "needed_by", "status", "fund__award_number",
    "case__survivor__client_code",
)  # fmt: skip


def _caseload_page(user, which: str, *, mine_only: bool, number):
    """Both tabs' counts and the page of ``which``, for those who see requests through their cases.

    Which cases those are is worked out once, in the query that counts the tabs and lists the
    tab's ids in order (a caseload's few hundred): a second query against all the waiting
    requests would work it out again. The page's 25 rows are then read by id, still through
    ``visible_requests``.
    """
    visible = access.visible_requests(user)
    shown = Q(status__in=QUEUES[which])
    if mine_only:
        shown &= Q(pk__in=_mine(user))
    counts, order = queries.queue_order(visible.filter(status__in=QUEUED), tabs=QUEUES, shown=shown)
    page = Paginator(order, PAGE_SIZE).get_page(number)
    rows = visible.filter(pk__in=page.object_list, status__in=QUEUES[which]).select_related("fund", "case__survivor")
    found = {row.pk: row for row in rows.only(*ROW_FIELDS).order_by()}
    # A request decided on or out of sight since its id was read is left out, not shown stale.
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    access.mark_turns(page.object_list, user)
    return counts, page
