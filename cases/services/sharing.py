"""Sharing: documents kept on a case, releases of information, and referrals.

A referral carries the survivor's identifying information only under a release that
covers it (see ``covering_release``); otherwise it is recorded as made without it, and
the caller is told why, so the page can say so plainly.
"""

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bloom.accounts.models import User
from bloom.directory.models import Organization, ServiceType
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify, settle
from bloom.said import Said, looks_like_a_code
from cases import permissions, queries, uploads
from cases.models import Case, Document, InformationKind, Referral, Release
from cases.services.common import apply_changes as _apply
from cases.services.common import save as _save

TITLE_LENGTH = Document._meta.get_field("title").max_length


class SharingError(ValidationError):
    """A document, release or referral the rules do not allow; the message says why."""


# Documents -------------------------------------------------------------------------------


@transaction.atomic
def add_document(case: Case, *, by: User, kind: str, title: str | Said, upload: UploadedFile) -> Document:
    """Keep an uploaded file on the case, under a random name in private storage.

    Refused with ``SharingError`` when the file's content is not an allowed type, does
    not match its name, is empty or is over ``BLOOM_MAX_UPLOAD_BYTES``. Stores the
    checked content type, the size and the SHA-256 of the bytes. Side effect: the file is
    written to storage (and removed again if saving the row fails).
    """
    name = uploads.clean_name(upload.name)
    try:
        file_type = uploads.check(upload, name=name, size=upload.size, limit=settings.BLOOM_MAX_UPLOAD_BYTES)
    except uploads.UploadRefused as refused:
        raise SharingError({"file": str(refused)}) from None
    if kind not in Document.Kind.values:
        raise SharingError({"kind": _("Choose what kind of document this is.")})
    if isinstance(title, Said):
        title = title.stored(TITLE_LENGTH)  # Bloom's own title, read in each reader's language
    elif looks_like_a_code(title):
        # A person's title shares its column with the titles Bloom writes, stored as codes.
        raise SharingError({"title": _("Write this in your own words: it reads like a code Bloom uses.")})
    document = Document(
        case=case,
        kind=kind,
        title=title.strip() or name,
        original_name=name,
        content_type=file_type.content_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=by,
    )
    # The name given here is ignored: Document.file's upload_to draws a random one.
    document.file.save(name, upload, save=False)
    try:
        _save(document, by=by, reason=Said("document.added", kind=kind))
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def delete_document(document: Document, *, by: User, reason: str) -> Document:
    """Delete a document's file, keeping its row with who deleted it, when and why.

    Refused with ``SharingError`` without a reason or when already deleted. Side effect:
    once the transaction commits, the stored file itself is removed from storage.
    """
    document = Document.objects.select_for_update().get(pk=document.pk)
    reason = reason.strip()
    if document.is_deleted:
        raise SharingError(_("This document was already deleted."))
    if not reason:
        raise SharingError({"reason": _("Write why the document is being deleted.")})
    stored, storage = document.file.name, document.file.storage
    document.deleted_at, document.deleted_by, document.deletion_reason = timezone.now(), by, reason
    document.file = ""
    _save(document, by=by, reason=Said("document.deleted"))
    if stored:
        # After commit: if the transaction rolls back, the row still points at the file.
        transaction.on_commit(lambda: storage.delete(stored))
    return document


# Releases of information -----------------------------------------------------------------


def latest_expiry(signed_on: date) -> date:
    """The last day a release signed on ``signed_on`` may run to: 12 calendar months later.

    The same day of the month a year on, or the month's last day when it has no such day
    (signed on 29 February, it may run to 28 February).
    """
    months = signed_on.month - 1 + Release.LONGEST_MONTHS
    year, month = signed_on.year + months // 12, months % 12 + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(signed_on.day, calendar.monthrange(year, month)[1]))


def release_date_problems(*, signed_on: date, expires_on: date, today: date) -> dict[str, str]:
    """What is wrong with a release's dates, by field name (empty when nothing is)."""
    problems = {}
    if signed_on > today:
        problems["signed_on"] = _("The signing date cannot be in the future.")
    if expires_on <= signed_on:
        problems["expires_on"] = _("A release must expire after the day it was signed.")
    elif expires_on > latest_expiry(signed_on):
        problems["expires_on"] = _(
            "A release can run for at most %(months)s months: from this signing date, until %(date)s."
        ) % {"months": Release.LONGEST_MONTHS, "date": date_format(latest_expiry(signed_on))}
    return problems


@transaction.atomic
def record_release(
    case: Case,
    *,
    by: User,
    organization: Organization | None,
    recipient: str,
    information: list[str],
    purpose: str,
    signed_on: date,
    expires_on: date,
    signed_form: UploadedFile | None = None,
) -> Release:
    """Record a release of information the survivor signed, with its signed form if given.

    Refused with ``SharingError`` when it names nobody, shares nothing, has no purpose,
    or its dates break the rules (signed in the future; expires after signing and at most
    12 months later). Side effect: the signed form is kept as a Document of kind signed
    form (see ``add_document``).
    """
    recipient, purpose = recipient.strip(), purpose.strip()
    information = sorted(set(information))
    problems = release_date_problems(signed_on=signed_on, expires_on=expires_on, today=timezone.localdate())
    if organization is None and not recipient:
        problems["recipient"] = _("Choose an organization or write who receives the information.")
    if not information or not set(information) <= set(InformationKind.values):
        problems["information"] = _("Choose what information may be shared.")
    if not purpose:
        problems["purpose"] = _("Write what the information is shared for.")
    if problems:
        raise SharingError(problems)
    release = Release(
        case=case,
        organization=organization,
        recipient=recipient,
        information=information,
        purpose=purpose,
        signed_on=signed_on,
        expires_on=expires_on,
        recorded_by=by,
    )
    if signed_form is not None:
        try:
            release.signed_form = add_document(
                case,
                by=by,
                kind=Document.Kind.SIGNED_FORM,
                # Stored as a code: the title is shown in each reader's language.
                title=Said("document.signed_release", to=str(release)),
                upload=signed_form,
            )
        except SharingError as refused:
            raise SharingError({"signed_form": refused.message_dict.get("file", refused.messages)}) from None
    _save(release, by=by, reason=Said("release.recorded"))
    return release


@transaction.atomic
def revoke_release(release: Release, *, by: User, on: date, note: str) -> Release:
    """Record that the survivor revoked a release on ``on``; nothing more may be shared under it.

    Refused with ``SharingError`` when already revoked, or when ``on`` is before the
    signing or in the future. Side effect: reminders that it is expiring are marked done.
    """
    release = Release.objects.select_for_update().get(pk=release.pk)
    if release.revoked_on is not None:
        raise SharingError(
            _("This release was already revoked on %(date)s.") % {"date": date_format(release.revoked_on)}
        )
    if on > timezone.localdate():
        raise SharingError({"revoked_on": _("The revocation date cannot be in the future.")})
    if on < release.signed_on:
        raise SharingError(
            {"revoked_on": _("A release cannot be revoked before it was signed (%(date)s).")
             % {"date": date_format(release.signed_on)}}
        )  # fmt: skip
    release.revoked_on, release.revocation_note = on, note.strip()
    _save(release, by=by, reason=Said("release.revoked"), fields=["revoked_on", "revocation_note"])
    settle(dedupe_prefix=expiry_key(release))
    return release


def covers(release: Release, *, organization: Organization, on: date) -> bool:
    """Whether ``release`` lets identifying information go to ``organization`` on ``on``."""
    return (
        release.organization_id == organization.pk
        and release.is_active_on(on)
        and InformationKind.IDENTIFYING in release.information
    )


def why_not_covered(releases: list[Release], *, organization: Organization, on: date) -> str:
    """Why none of ``releases`` (the case's, for ``organization``) covers sharing on ``on``, in plain words."""
    if not releases:
        return _("There is no release of information for %(org)s.") % {"org": organization}
    # The latest-signed release is the one the person most likely had in mind.
    release = max(releases, key=lambda r: (r.signed_on, r.pk))
    signed = date_format(release.signed_on)
    if release.signed_on > on:
        return _("The release for %(org)s was signed on %(signed)s, after the referral date.") % {
            "org": organization,
            "signed": signed,
        }
    if release.status_on(on) == Release.Status.REVOKED:
        return _("The release for %(org)s was revoked on %(date)s.") % {
            "org": organization,
            "date": date_format(release.revoked_on),
        }
    if release.status_on(on) == Release.Status.EXPIRED:
        return _("The release for %(org)s expired on %(date)s.") % {
            "org": organization,
            "date": date_format(release.expires_on),
        }
    return _("The release for %(org)s signed on %(signed)s does not include identifying information.") % {
        "org": organization,
        "signed": signed,
    }


# Referrals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MadeReferral:
    referral: Referral
    # Why identifying information was not sent although it was asked for; None otherwise.
    not_shared_because: str | None


@transaction.atomic
def make_referral(
    case: Case,
    *,
    by: User,
    direction: str,
    organization: Organization,
    service_type: str,
    made_on: date,
    note: str,
    share_identifying: bool,
) -> MadeReferral:
    """Record a referral out to a partner, or in from one.

    With ``share_identifying``, identifying information goes with a referral out only when
    one of the case's releases covers the organization on ``made_on`` (active then, for
    that organization, including identifying information); the referral then names that
    release. Otherwise it is recorded as made without identifying information, and the
    result says why. Refused with ``SharingError`` for a date in the future.
    """
    if made_on > timezone.localdate():
        raise SharingError({"made_on": _("The referral date cannot be in the future.")})
    if service_type not in ServiceType.values or direction not in Referral.Direction.values:
        raise SharingError(_("Choose the direction and the service."))
    referral = Referral(
        case=case,
        direction=direction,
        organization=organization,
        service_type=service_type,
        made_on=made_on,
        note=note.strip(),
        made_by=by,
    )
    why = None
    if share_identifying:
        if direction != Referral.Direction.OUT:
            why = _("Identifying information is only sent with a referral out.")
        else:
            # Locked, so a revocation recorded at this moment waits for this referral, or wins.
            releases = list(case.releases.select_for_update().filter(organization=organization))
            covering = [r for r in releases if covers(r, organization=organization, on=made_on)]
            if covering:
                referral.release = max(covering, key=lambda r: (r.expires_on, r.pk))
                referral.identifying_information_shared = True
            else:
                why = why_not_covered(releases, organization=organization, on=made_on)
    shared = "referral.recorded_identifying" if referral.identifying_information_shared else "referral.recorded"
    _save(referral, by=by, reason=Said(shared, direction=direction))
    return MadeReferral(referral, why)


@transaction.atomic
def update_referral(referral: Referral, *, by: User, status: str, outcome_on: date | None, note: str) -> Referral:
    """Record where a referral stands: its status, the outcome date and a note.

    A referral still "made" has no outcome date; any other status needs one, on or after
    the referral date and not in the future (``SharingError`` otherwise). Only what changed
    is written, so an unchanged form leaves no history row.
    """
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in Referral.Status.values:
        raise SharingError({"status": _("Choose a status.")})
    if status == Referral.Status.MADE:
        outcome_on = None
    elif outcome_on is None:
        raise SharingError({"outcome_on": _("Give the date of the outcome.")})
    elif outcome_on < referral.made_on:
        raise SharingError(
            {"outcome_on": _("The outcome cannot come before the referral (%(date)s).")
             % {"date": date_format(referral.made_on)}}
        )  # fmt: skip
    elif outcome_on > timezone.localdate():
        raise SharingError({"outcome_on": _("The outcome date cannot be in the future.")})
    changed = _apply(referral, {"status": status, "outcome_on": outcome_on, "note": note.strip()})
    if changed:
        _save(referral, by=by, reason=Said("referral.changed", fields=changed), fields=changed)
    return referral


# Reminders -------------------------------------------------------------------------------


def expiry_key(release: Release) -> str:
    return f"release-expiring:{release.pk}:"


def releases_expiring(*, today: date):
    """Releases on active cases, not revoked, that expire within ``Release.EXPIRY_NOTICE_DAYS`` of ``today``."""
    return Release.objects.filter(
        case__in=queries.open_cases(Case.objects.all()),
        revoked_on__isnull=True,
        signed_on__lte=today,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=Release.EXPIRY_NOTICE_DAYS),
    )


def send_release_expiry_reminders(*, today: date | None = None) -> int:
    """Tell the assigned specialists of each active case about its releases about to expire.

    Once per release and expiry date: running this twice, or daily until the expiry,
    makes no duplicate. A case with no assigned specialist tells its team's supervisors,
    so the reminder never rests with nobody. Returns how many notifications are new.
    """
    today = today or timezone.localdate()
    releases = (
        releases_expiring(today=today)
        .select_related("case__survivor", "case__team")
        .prefetch_related(*(f"case__{name}" for name in permissions.TO_REMIND_PREFETCH))
    )
    notices = [
        Notice(
            recipient_id=recipient_id,
            kind=Notification.Kind.RELEASE_EXPIRING,
            data={"code": release.case.survivor.client_code, "until": release.expires_on.isoformat()},
            url=reverse("cases:detail", args=[release.case_id]),
            dedupe_key=f"{expiry_key(release)}{release.expires_on.isoformat()}",
        )
        for release in releases
        for recipient_id in permissions.to_remind(release.case)
    ]
    return notify(notices)
