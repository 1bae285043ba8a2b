"""Documents, releases of information and referrals on a case.

Reads need sight of the case, writes the right to change it; a document, release or
referral is fetched only through its case, so a foreign id is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from bloom.said import Said
from cases import permissions, services
from cases.forms import (
    DocumentDeleteForm,
    DocumentForm,
    NewReferralForm,
    ReferralStatusForm,
    ReleaseForm,
    RevokeReleaseForm,
)
from cases.models import Case, Release


def sharing_overview(case: Case) -> dict:
    """The case page's documents, releases and referrals, in three queries however many there are."""
    today = timezone.localdate()
    documents = list(case.documents.select_related("uploaded_by"))
    releases = list(case.releases.select_related("organization", "signed_form"))
    for release in releases:
        release.status_today = release.status_on(today)
        release.status_label = Release.Status(release.status_today).label
    return {
        "documents": [d for d in documents if not d.is_deleted],
        "deleted_documents": len([d for d in documents if d.is_deleted]),
        "releases": releases,
        "referrals": list(case.referrals.select_related("organization", "release")),
    }


def _page(request, case: Case, template: str, context: dict):
    return render(request, template, {"case": case, **context})


def _refused(form, error: services.SharingError) -> None:
    # The service's message goes next to its field, or above the form.
    form.add_error(None, error)


# Documents -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_document(case, by=request.user, kind=data["kind"], title=data["title"], upload=data["file"])
        except services.SharingError as error:
            _refused(form, error)
        else:
            # Not the title: it may name someone, and messages travel in a cookie.
            messages.success(request, _("The document is kept with the case."))
            return redirect(case)
    return _page(request, case, "cases/sharing_document_form.html", {"form": form})


@login_required
@require_safe
def document_download(request, pk, document_pk):
    """Send a kept file as an attachment, never shown in the browser, and log the download."""
    case = permissions.get_case_for(request.user, pk)
    document = get_object_or_404(case.documents, pk=document_pk, deleted_at__isnull=True)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_access(
        request,
        target=case,
        label=case.survivor.client_code,
        action=AccessLogEntry.Action.DOWNLOAD,
        reason=Said("log.document", document=document.pk, kind=document.kind),
    )
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request, pk, document_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    document = get_object_or_404(case.documents, pk=document_pk, deleted_at__isnull=True)
    form = DocumentDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_document(document, by=request.user, reason=form.cleaned_data["reason"])
        except services.SharingError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The document was deleted; the reason is kept in its history."))
            return redirect(case)
    return _page(request, case, "cases/sharing_document_delete.html", {"form": form, "document": document})


# Releases of information -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def release_new(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = ReleaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            release = services.record_release(case, by=request.user, **form.release())
        except services.SharingError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Release recorded. It expires on %(date)s.") % {"date": date_format(release.expires_on)},
            )
            return redirect(case)
    return _page(request, case, "cases/sharing_release_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def release_revoke(request, pk, release_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    release = get_object_or_404(case.releases.select_related("organization"), pk=release_pk)
    if release.revoked_on is not None:
        messages.info(
            request, _("This release was already revoked on %(date)s.") % {"date": date_format(release.revoked_on)}
        )
        return redirect(case)
    form = RevokeReleaseForm(request.POST or None, release=release)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.revoke_release(release, by=request.user, on=data["revoked_on"], note=data["revocation_note"])
        except services.SharingError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The release is revoked. Nothing more will be shared under it."))
            return redirect(case)
    return _page(request, case, "cases/sharing_release_revoke.html", {"form": form, "release": release})


# Referrals ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = NewReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.make_referral(
                case,
                by=request.user,
                direction=data["direction"],
                organization=data["organization"],
                service_type=data["service_type"],
                made_on=data["made_on"],
                note=data["note"],
                share_identifying=data["share_identifying"],
            )
        except services.SharingError as error:
            _refused(form, error)
        else:
            _tell_what_was_shared(request, made)
            return redirect(case)
    return _page(request, case, "cases/sharing_referral_form.html", {"form": form})


def _tell_what_was_shared(request, made: services.MadeReferral) -> None:
    referral = made.referral
    if referral.identifying_information_shared:
        messages.success(
            request,
            _("Referral recorded. Identifying information went with it, under the release signed on %(date)s.")
            % {"date": date_format(referral.release.signed_on)},
        )
    elif made.not_shared_because:
        messages.warning(
            request,
            _("Referral recorded without identifying information. %(why)s Send nothing that identifies the "
              "survivor to this organization unless they choose to sign a release that covers it.")
            % {"why": made.not_shared_because},
        )  # fmt: skip
    else:
        messages.success(request, _("Referral recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def referral_status(request, pk, referral_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    referral = get_object_or_404(case.referrals.select_related("organization"), pk=referral_pk)
    form = ReferralStatusForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_referral(
                referral, by=request.user, status=data["status"], outcome_on=data["outcome_on"], note=data["note"]
            )
        except services.SharingError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Referral updated."))
            return redirect(case)
    return _page(request, case, "cases/sharing_referral_status.html", {"form": form, "referral": referral})
