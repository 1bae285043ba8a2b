"""Documents, releases of information and referrals.

The rules live in ``cases.services.sharing``; these forms check them early so that each
message appears next to its field, with everything typed kept.
"""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bloom.directory.models import Organization, ServiceType
from cases import uploads
from cases.forms.intake import EARLIEST_YEAR, DateInput, check_not_future
from cases.models import Document, InformationKind, Referral, Release
from cases.services.sharing import release_date_problems


def _accepted_files() -> str:
    return ",".join(ext for kind in uploads.ALLOWED for ext in kind.extensions)


class UploadField(forms.FileField):
    """A file checked by its content: an allowed type that matches its name, within the size limit."""

    def __init__(self, **kwargs):
        super().__init__(max_length=None, allow_empty_file=True, **kwargs)
        self.widget.attrs["accept"] = _accepted_files()

    def show_limit(self) -> None:
        """Say what may be uploaded; called by the form, so the limit is read when the page is made."""
        self.help_text = _(
            "PDF, JPEG, PNG or Word (.docx), up to %(limit)s. If another field needs correcting, choose the file again."
        ) % {"limit": filesizeformat(settings.BLOOM_MAX_UPLOAD_BYTES)}

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                uploads.check(
                    upload,
                    name=uploads.clean_name(upload.name),
                    size=upload.size,
                    limit=settings.BLOOM_MAX_UPLOAD_BYTES,
                )
            except uploads.UploadRefused as refused:
                raise forms.ValidationError(str(refused), code="refused") from None
        return upload


def _organizations(current_pk=None):
    # Only organizations in the directory; one already named keeps showing.
    return Organization.objects.filter(Q(is_active=True) | Q(pk=current_pk)).order_by("name")


def _check_year(form: forms.Form, name: str) -> None:
    day = form.cleaned_data.get(name)
    if day and day.year < EARLIEST_YEAR:
        form.add_error(name, _("Give a date from %(year)s on.") % {"year": EARLIEST_YEAR})


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Document.Kind.choices)
    title = forms.CharField(
        label=_("Description"),
        max_length=200,
        help_text=_("What it is, e.g. “State ID” or “Lease letter”. Shown on the case page."),
    )
    file = UploadField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].show_limit()


class DocumentDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is being deleted"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The file is removed for good. The record that it existed stays in the history, with your reason."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write why the document is being deleted."))
        return reason


class ReleaseForm(forms.ModelForm):
    information = forms.MultipleChoiceField(
        label=_("Information that may be shared"),
        choices=InformationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what the survivor agreed to, in writing."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    signed_form = UploadField(label=_("Signed form"), required=False)

    class Meta:
        model = Release
        fields = ("organization", "recipient", "information", "purpose", "signed_on", "expires_on")
        widgets = {
            "signed_on": DateInput(),
            "expires_on": DateInput(),
        }
        help_texts = {
            "expires_on": _("At most 12 months after signing."),
            "organization": _("Choose it when the recipient is in the directory: referrals to it can then carry "
                              "identifying information."),
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations()
        self.fields["organization"].required = False
        self.fields["signed_on"].initial = timezone.localdate
        self.fields["signed_form"].show_limit()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organization") and not cleaned.get("recipient", "").strip():
            self.add_error("recipient", _("Choose an organization or write who receives the information."))
        _check_year(self, "signed_on")
        signed_on, expires_on = cleaned.get("signed_on"), cleaned.get("expires_on")
        if signed_on and expires_on and "signed_on" not in self.errors:
            problems = release_date_problems(signed_on=signed_on, expires_on=expires_on, today=timezone.localdate())
            for name, message in problems.items():
                self.add_error(name, message)
        return cleaned

    def _post_clean(self):
        # The service builds the release; validating the instance here would run the
        # model's constraints against a half-filled row.
        pass

    def release(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*self.Meta.fields, "signed_form")}


class RevokeReleaseForm(forms.Form):
    revoked_on = forms.DateField(label=_("Revoked on"), widget=DateInput(), initial=timezone.localdate)
    revocation_note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the survivor let us know, if useful."),
    )

    def __init__(self, *args, release: Release, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = release

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "revoked_on", _("The revocation date cannot be in the future."))
        day = cleaned.get("revoked_on")
        if day and day < self.release.signed_on:
            self.add_error(
                "revoked_on",
                _("A release cannot be revoked before it was signed (%(date)s).")
                % {"date": date_format(self.release.signed_on)},
            )
        return cleaned


class NewReferralForm(forms.ModelForm):
    share_identifying = forms.BooleanField(
        label=_("Send the survivor's identifying information with this referral"),
        required=False,
        help_text=_(
            "Only with an active release of information for this organization that includes identifying "
            "information. Without one, the referral is recorded without it and you are told why."
        ),
    )

    note = forms.CharField(label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Referral
        fields = ("direction", "organization", "service_type", "made_on", "note")
        widgets = {"direction": forms.RadioSelect, "made_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations()
        self.fields["made_on"].initial = timezone.localdate
        self.fields["service_type"].choices = [("", "—"), *ServiceType.choices]

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "made_on", _("The referral date cannot be in the future."))
        _check_year(self, "made_on")
        if cleaned.get("share_identifying") and cleaned.get("direction") == Referral.Direction.IN:
            self.add_error("share_identifying", _("Identifying information is only sent with a referral out."))
        return cleaned

    def _post_clean(self):
        # The service builds the referral (and decides what it may carry).
        pass


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Referral.Status.choices)
    outcome_on = forms.DateField(
        label=_("Outcome date"), widget=DateInput(), required=False, help_text=_("Needed unless the status is Made.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.initial.setdefault("status", referral.status)
        self.initial.setdefault("outcome_on", referral.outcome_on or timezone.localdate())
        self.initial.setdefault("note", referral.note)

    def clean(self):
        cleaned = super().clean()
        status, day = cleaned.get("status"), cleaned.get("outcome_on")
        if status and status != Referral.Status.MADE:
            if day is None and "outcome_on" not in self.errors:
                self.add_error("outcome_on", _("Give the date of the outcome."))
            check_not_future(self, "outcome_on", _("The outcome date cannot be in the future."))
            if day and day < self.referral.made_on:
                self.add_error(
                    "outcome_on",
                    _("The outcome cannot come before the referral (%(date)s).")
                    % {"date": date_format(self.referral.made_on)},
                )
        return cleaned
