from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from bloom.translated import own_name


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _(
            "That email address and password do not match an account. "
            "Check both and try again; after several failed attempts sign-in is paused."
        ),
        "inactive": _("This account is not active. Please ask your administrator."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("Too many attempts. Wait a few seconds, then type the newest code."))
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("That code did not match. Codes change every 30 seconds; try the current one.")
            )
        return token


def languages_in_their_own_names():
    """Each language named in itself ("English", "Español"), marked with its ``lang`` for screen
    readers: someone who cannot read the page's language still finds their own."""
    return [
        (code, format_html('<span lang="{}">{}</span>', code, own_name(code))) for code, _name in settings.LANGUAGES
    ]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=languages_in_their_own_names,
        widget=forms.RadioSelect,
        help_text=_("Bloom's pages and dates are shown in it. Amounts read the same in every language: $1,500.00."),
    )
