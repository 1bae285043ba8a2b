import base64
import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bloom.accounts import services
from bloom.accounts.forms import EmailAuthenticationForm, LanguageForm, TokenForm
from bloom.accounts.middleware import SIGN_IN_LANGUAGE_KEY


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out; the next person at a shared computer starts from their own language.

    Signing out ends the session, and with it a language chosen on the sign-in page. The
    language cookie goes too: LocaleMiddleware would still read one (set by Django's own
    ``set_language``, say) for the next visitor's sign-in page.
    """

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response


@require_POST
def sign_in_language(request):
    """Show the sign-in page in another language, and keep it for the session that follows.

    Kept in the session, never on the person's profile: on a shared computer it is one visit's
    choice, forgotten at sign-out. An unknown language changes nothing.
    """
    form = LanguageForm(request.POST)
    if form.is_valid():
        request.session[SIGN_IN_LANGUAGE_KEY] = form.cleaned_data["language"]
    return redirect(_safe_next(request, "accounts:login"))


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    # omitsize: a viewBox instead of a fixed size, so the code scales into its box whole (a
    # cropped code does not scan).
    segno.make(url, error="m").save(
        buffer, kind="svg", xmldecl=False, nl=False, scale=5, title=_("QR code"), omitsize=True
    )
    # segno's SVG is generated from our own URL only; it holds no user-supplied markup.
    return mark_safe(buffer.getvalue().decode())  # noqa: S308


@login_required
@require_http_methods(["GET", "POST"])
def mfa(request):
    """Enter a TOTP code, or enrol an authenticator app first if none is confirmed."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        with transaction.atomic():
            device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
            if device is None:
                device = TOTPDevice.objects.create(user=request.user, name="Authenticator", confirmed=False)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(request, _("Your authenticator app is set up."))
        otp_login(request, device)
        return redirect(_safe_next(request))
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request, "")}
    if enrolling:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()  # for apps that cannot scan
    return render(request, "accounts/mfa.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """One's own name and email, and the language Bloom speaks to them."""
    user = request.user
    form = LanguageForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        services.choose_language(user, language=language, by=user)
        # The preference just saved outranks a choice made on the sign-in page, from this page on.
        request.session.pop(SIGN_IN_LANGUAGE_KEY, None)
        with translation.override(language):
            messages.success(request, _("Your language is saved."))
        return redirect("accounts:profile")
    session_language = request.session.get(SIGN_IN_LANGUAGE_KEY)
    context = {
        "form": form,
        "session_language": session_language if session_language != user.language else None,
    }
    return render(request, "accounts/profile.html", context)
