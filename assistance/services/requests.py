"""Requests for money: asked for by a specialist, approved, paid once, or denied or cancelled.

The path: *waiting* → (above the threshold: *second approval* →) *approved* → *paid*; or
*denied* (by an approver) or *cancelled* (by those who work the case, or by finance before
paying), each with a reason. Every step takes a lock on the request's row, so two people
acting at once cannot both succeed, and leaves a history row.

No overspend: the final approval locks the fund's row and sums what is committed against
the category (and the fund) after the lock is held, so two approvals at the same moment
are counted one after the other and the second is refused if the first used the room. No
double payment: a ``Payment`` is one-to-one with its request, and the request's row is
locked while it is recorded.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance import access, queries
from assistance.models import LARGEST_REQUEST, AssistanceRequest, Fund, FundBudget, Payment
from assistance.services.common import AssistanceError, check_served, day, dollars, max_length, money_problem, too_long
from bloom.accounts.models import User
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify, settle
from bloom.said import Said
from cases import permissions
from cases.models import Case, Document
from cases.services.common import apply_changes as _apply
from cases.services.common import save as _save
from cases.services.sharing import SharingError, add_document

Status = AssistanceRequest.Status
Payee = AssistanceRequest.Payee
# How far ahead a request may be needed, and how far back a payment may be dated.
FURTHEST_NEED = timedelta(days=366)
LONGEST_REASON = 2000
LONGEST = {
    "payee_name": max_length(AssistanceRequest, "payee_name"),
    "payee_details": 1000,
    "purpose": max_length(AssistanceRequest, "purpose"),
}


@dataclass(frozen=True)
class RequestDetails:
    fund: Fund
    category: str
    amount: Decimal
    payee_kind: str
    payee_name: str
    payee_details: str
    purpose: str
    needed_by: date


def waiting_key(request: AssistanceRequest) -> str:
    return f"assistance-waiting:{request.pk}:"


def to_pay_key(request: AssistanceRequest) -> str:
    return f"assistance-to-pay:{request.pk}:"


def _url(request: AssistanceRequest) -> str:
    return reverse("assistance:request", args=[request.pk])


def _case_url(request: AssistanceRequest) -> str:
    """Where a notice carrying the client code points: under the case, so that restricting the
    case later takes the notice away from those it no longer names (``cases.services.access``)."""
    return reverse("assistance:case", args=[request.case_id])


def _check(case: Case, details: RequestDetails, *, today: date) -> dict:
    """Problems with ``details``, by field; the fund's room is checked without a lock (a hint).

    The approval checks the room again under the fund's lock: that is the guard.
    """
    texts = {"payee_name": details.payee_name, "payee_details": details.payee_details, "purpose": details.purpose}
    errors = too_long(LONGEST, **texts)
    if problem := money_problem(details.amount, largest=LARGEST_REQUEST):
        errors["amount"] = problem
    if details.payee_kind not in Payee.values:
        errors["payee_kind"] = _("Choose who is paid.")
    elif details.payee_kind == Payee.SURVIVOR:
        if details.payee_name.strip():
            errors["payee_name"] = _(
                "Leave the payee empty when the survivor is paid: their name is not sent to finance."
            )
    elif not details.payee_name.strip():
        errors["payee_name"] = _("Name the landlord, company, vendor or school to be paid.")
    if not details.purpose.strip():
        errors["purpose"] = _("Say what the money is for.")
    fund = details.fund
    if fund.ends_on < today:
        errors["fund"] = _("%(fund)s's period ended on %(day)s; choose a fund still open.") % {
            "fund": fund.name,
            "day": day(fund.ends_on),
        }
    if not fund.starts_on <= details.needed_by <= fund.ends_on:
        errors["needed_by"] = _("This fund pays for what is needed from %(start)s to %(end)s.") % {
            "start": day(fund.starts_on),
            "end": day(fund.ends_on),
        }
    elif details.needed_by > today + FURTHEST_NEED:
        errors["needed_by"] = _("That is more than a year away; ask nearer the time.")
    budget = FundBudget.objects.filter(fund=fund, category=details.category).first()
    if budget is None:
        errors["category"] = _("%(fund)s does not pay for this category. Choose another category or fund.") % {
            "fund": fund.name
        }
    elif "amount" not in errors:
        room = budget.amount - queries.committed(fund, details.category)
        if details.amount > room:
            errors["amount"] = _room_message(budget, room)
    return errors


def _room_message(budget: FundBudget, room: Decimal) -> str:
    return _("Only %(room)s is left in the %(category)s budget of %(fund)s.") % {
        "room": dollars(max(room, Decimal(0))),
        "category": budget.get_category_display().lower(),
        "fund": budget.fund.name,
    }


def _values(details: RequestDetails) -> dict:
    return {
        "fund": details.fund,
        "category": details.category,
        "amount": details.amount,
        "payee_kind": details.payee_kind,
        "payee_name": details.payee_name.strip(),
        "payee_details": details.payee_details.strip(),
        "purpose": details.purpose.strip(),
        "needed_by": details.needed_by,
    }


@transaction.atomic
def ask(case: Case, *, by: User, details: RequestDetails) -> AssistanceRequest:
    """A new request for money for ``case``, waiting for its first approval.

    Refused with ``AssistanceError`` (by field) for an amount that is not money (zero,
    negative, more than two decimals, absurd), more than the category has left, a category
    the fund does not allow, a fund whose period has ended, a need outside the fund's
    period, a missing payee or purpose, or a text longer than the form allows; and for a
    case that is not being served. Side effect: the team's supervisors who may approve
    are told.
    """
    case = Case.objects.select_related("survivor", "team").get(pk=case.pk)  # as it is now, not as loaded
    if not access.may_ask(by, permissions.case_perms(by, case)):
        raise PermissionDenied
    check_served(case)
    if errors := _check(case, details, today=timezone.localdate()):
        raise AssistanceError(errors)
    request = AssistanceRequest(case=case, requested_by=by, **_values(details))
    _save(request, by=by, reason=Said("assistance.requested"))
    _tell_approvers(request, access.first_approvers(case), Notification.Kind.ASSISTANCE_WAITING)
    return request


def _tell_approvers(request: AssistanceRequest, recipients: list[int], kind: str) -> None:
    data = {"number": request.number, "amount": dollars(request.amount), "code": request.case.survivor.client_code}
    url = _case_url(request)
    if kind == Notification.Kind.ASSISTANCE_SECOND:
        del data["code"]  # finance may not see who it is for; the request page says what it may
        url = _url(request)
    notify(
        Notice(recipient_id=pk, kind=kind, data=data, url=url, dedupe_key=f"{waiting_key(request)}{kind}")
        for pk in recipients
        if pk != request.requested_by_id
    )


def _tell_requester(request: AssistanceRequest, kind: str) -> None:
    recipients = permissions.named_among(request.case, [request.requested_by_id])
    data = {"number": request.number, "amount": dollars(request.amount), "code": request.case.survivor.client_code}
    notify(
        Notice(
            recipient_id=pk, kind=kind, data=data, url=_case_url(request), dedupe_key=f"assistance:{request.pk}:{kind}"
        )
        for pk in recipients
    )


def _locked(request: AssistanceRequest) -> AssistanceRequest:
    return (
        AssistanceRequest.objects.select_for_update(of=("self",))
        .select_related("case__survivor", "case__team", "fund")
        .get(pk=request.pk)
    )


@transaction.atomic
def change_request(request: AssistanceRequest, *, by: User, details: RequestDetails) -> AssistanceRequest:
    """Correct a request nobody has approved yet. Refused as ``ask`` is, and once any approval is given."""
    request = _locked(request)
    if access.ACT_EDIT not in access.request_actions(by, request):
        if request.status != Status.WAITING:
            raise AssistanceError(
                _("This request has moved on (%(status)s); it can no longer be changed.")
                % {"status": request.get_status_display().lower()}
            )
        raise PermissionDenied
    if errors := _check(request.case, details, today=timezone.localdate()):
        raise AssistanceError(errors)
    if changed := _apply(request, _values(details)):
        _save(request, by=by, reason=Said("assistance.corrected"), fields=changed)
    return request


@transaction.atomic
def approve(request: AssistanceRequest, *, by: User) -> AssistanceRequest:
    """Approve ``request``: the first approval, or the second above the threshold.

    Refused with ``AssistanceError`` when ``by`` asked for it, gave its first approval, or
    may not approve at this step; when it is not waiting for approval (already approved,
    paid, denied or cancelled); and when the fund's category (or the fund) no longer has
    the room. Only the final approval commits the money.
    """
    request = _locked(request)
    if request.status not in (Status.WAITING, Status.SECOND_APPROVAL):
        raise AssistanceError(_not_waiting(request))
    if request.requested_by_id == by.pk:
        raise AssistanceError(_("Nobody approves their own request; it waits for someone else."))
    if request.approved_by_id == by.pk:
        raise AssistanceError(_("You gave the first approval; the second must come from someone else."))
    if access.ACT_APPROVE not in access.request_actions(by, request):
        raise PermissionDenied
    now = timezone.now()
    if request.status == Status.WAITING:
        request.approved_by, request.approved_at = by, now
        if access.needs_second_approval(request):
            _check_room(request)  # no commitment yet; a hint for the approver, checked again at the end
            request.status = Status.SECOND_APPROVAL
            _save(
                request,
                by=by,
                reason=Said("assistance.approved_first"),
                fields=["approved_by", "approved_at", "status"],
            )
            settle(dedupe_prefix=waiting_key(request))
            _tell_approvers(request, access.second_approvers(), Notification.Kind.ASSISTANCE_SECOND)
            return request
        fields = ["approved_by", "approved_at", "status"]
    else:
        request.second_approved_by, request.second_approved_at = by, now
        fields = ["second_approved_by", "second_approved_at", "status"]
    _check_room(request)  # the commitment: from here the amount counts against the fund
    request.status = Status.APPROVED
    _save(request, by=by, reason=Said("assistance.approved"), fields=fields)
    settle(dedupe_prefix=waiting_key(request))
    _tell_requester(request, Notification.Kind.ASSISTANCE_APPROVED)
    _tell_payers(request)
    return request


def _tell_payers(request: AssistanceRequest) -> None:
    """Finance is told an approved request waits for payment (its number and amount, not its client code)."""
    data = {"number": request.number, "amount": dollars(request.amount)}
    kind = Notification.Kind.ASSISTANCE_TO_PAY
    notify(
        Notice(recipient_id=pk, kind=kind, data=data, url=_url(request), dedupe_key=to_pay_key(request))
        for pk in access.payers()
        if pk != request.requested_by_id
    )


def _check_room(request: AssistanceRequest) -> None:
    """Refuse if the fund's category, or the fund, has no room for ``request``.

    Locks the fund's row until the transaction ends, so what is summed after taking it
    includes every approval that committed before, and none can slip in meanwhile.
    """
    fund = Fund.objects.select_for_update().get(pk=request.fund_id)
    budget = FundBudget.objects.filter(fund=fund, category=request.category).first()
    if budget is None:
        raise AssistanceError(
            _("%(fund)s no longer pays for this category; deny or cancel the request.") % {"fund": fund.name}
        )
    room = budget.amount - queries.committed(fund, request.category)
    if request.amount > room:
        raise AssistanceError(_room_message(budget, room))
    fund_room = fund.total - queries.committed(fund)
    if request.amount > fund_room:
        raise AssistanceError(_("Only %(room)s is left in %(fund)s.") % {"room": dollars(fund_room), "fund": fund.name})


def _not_waiting(request: AssistanceRequest) -> str:
    return _("This request is not waiting for approval: it is %(status)s.") % {
        "status": request.get_status_display().lower()
    }


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise AssistanceError({"reason": _("Write the reason; the person who asked will read it.")})
    if len(reason) > LONGEST_REASON:
        raise AssistanceError(
            {"reason": _("Keep the reason to %(most)s characters or fewer.") % {"most": LONGEST_REASON}}
        )
    return reason


@transaction.atomic
def deny(request: AssistanceRequest, *, by: User, reason: str) -> AssistanceRequest:
    """Deny a request waiting for ``by``'s approval, with a reason the requester is told."""
    request = _locked(request)
    if request.status not in (Status.WAITING, Status.SECOND_APPROVAL):
        raise AssistanceError(_not_waiting(request))
    if access.ACT_DENY not in access.request_actions(by, request):
        if request.requested_by_id == by.pk:
            raise AssistanceError(_("You asked for this request; cancel it instead."))
        raise PermissionDenied
    request.close_reason = _reason(reason)
    request.status, request.closed_by, request.closed_at = Status.DENIED, by, timezone.now()
    _save(request, by=by, reason=Said("assistance.denied"), fields=["status", "closed_by", "closed_at", "close_reason"])
    settle(dedupe_prefix=waiting_key(request))
    _tell_requester(request, Notification.Kind.ASSISTANCE_DENIED)
    return request


@transaction.atomic
def cancel(request: AssistanceRequest, *, by: User, reason: str) -> AssistanceRequest:
    """Cancel a request not yet paid, with a reason; an approved one gives its money back to the fund."""
    request = _locked(request)
    if not request.is_open:
        raise AssistanceError(
            _("This request is %(status)s; there is nothing to cancel.")
            % {"status": request.get_status_display().lower()}
        )
    if access.ACT_CANCEL not in access.request_actions(by, request):
        raise PermissionDenied
    request.close_reason = _reason(reason)
    request.status, request.closed_by, request.closed_at = Status.CANCELLED, by, timezone.now()
    columns = ["status", "closed_by", "closed_at", "close_reason"]
    _save(request, by=by, reason=Said("assistance.cancelled"), fields=columns)
    settle(dedupe_prefix=waiting_key(request))
    settle(dedupe_prefix=to_pay_key(request))
    return request


@dataclass(frozen=True)
class PaymentDetails:
    method: str
    reference: str
    paid_on: date


@transaction.atomic
def pay(
    request: AssistanceRequest, *, by: User, details: PaymentDetails, receipt: UploadedFile | None = None
) -> Payment:
    """Record that an approved request was paid, once, with its receipt if there is one yet.

    Refused with ``AssistanceError`` when the request is already paid (the payment says
    when), not approved, asked for by ``by``; for an unknown method, a missing reference,
    a date in the future or before the request; and for a receipt that is not an allowed
    file. Side effect: the receipt is kept as a document of the case.
    """
    request = _locked(request)
    if request.status == Status.PAID:
        paid = request.payment
        raise AssistanceError(
            _("This request was already paid on %(day)s (%(method)s %(reference)s).")
            % {
                "day": day(paid.paid_on),
                "method": paid.get_method_display().lower(),
                "reference": paid.reference,
            }
        )
    if request.status != Status.APPROVED:
        raise AssistanceError(
            _("Only an approved request can be paid; this one is %(status)s.")
            % {"status": request.get_status_display().lower()}
        )
    if request.requested_by_id == by.pk:
        raise AssistanceError(_("You asked for this request; someone else records its payment."))
    if access.ACT_PAY not in access.request_actions(by, request, case_perms=frozenset()):
        raise PermissionDenied
    errors = {}
    if details.method not in Payment.Method.values:
        errors["method"] = _("Choose how it was paid.")
    if not details.reference.strip():
        errors["reference"] = _("Write the check, transaction or voucher number.")
    errors |= too_long({"reference": max_length(Payment, "reference")}, reference=details.reference)
    today = timezone.localdate()
    if details.paid_on > today:
        errors["paid_on"] = _("The payment date cannot be in the future.")
    elif details.paid_on < timezone.localtime(request.requested_at).date():
        errors["paid_on"] = _("The payment date is before the request was made (%(day)s).") % {
            "day": day(timezone.localtime(request.requested_at).date())
        }
    if errors:
        raise AssistanceError(errors)
    payment = Payment(
        request=request,
        method=details.method,
        reference=details.reference.strip(),
        paid_on=details.paid_on,
        paid_by=by,
    )
    if receipt is not None:
        payment.receipt = _keep_receipt(request, by=by, upload=receipt)
    _save(payment, by=by, reason=Said("payment.recorded"))
    request.status = Status.PAID
    _save(request, by=by, reason=Said("assistance.paid"), fields=["status"])
    settle(dedupe_prefix=to_pay_key(request))
    _tell_requester(request, Notification.Kind.ASSISTANCE_PAID)
    return payment


def _keep_receipt(request: AssistanceRequest, *, by: User, upload: UploadedFile) -> Document:
    title = _("Receipt for %(number)s") % {"number": request.number}
    try:
        return add_document(request.case, by=by, kind=Document.Kind.RECEIPT, title=title, upload=upload)
    except SharingError as refused:
        messages = refused.error_dict["file"] if hasattr(refused, "error_dict") else refused.messages
        raise AssistanceError({"receipt": messages}) from None


@transaction.atomic
def add_receipt(request: AssistanceRequest, *, by: User, upload: UploadedFile) -> Payment:
    """Keep the receipt of a request paid without one yet."""
    request = _locked(request)
    if request.status != Status.PAID:
        raise AssistanceError(_("Only a paid request has a receipt."))
    payment = Payment.objects.select_for_update().get(request=request)
    if payment.receipt_id:
        raise AssistanceError(_("This payment already has its receipt."))
    if not access.holds(by, access.PAY):
        raise PermissionDenied
    payment.receipt = _keep_receipt(request, by=by, upload=upload)
    _save(payment, by=by, reason=Said("payment.receipt_added"), fields=["receipt"])
    return payment
