import base64
import io

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bloom.accounts.forms import EmailAuthenticationForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


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
