from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from bloom.audit.models import AccessLogEntry


def client_ip(request: HttpRequest) -> str | None:
    # Behind the production proxy REMOTE_ADDR is the proxy; the proxy sets X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


def log_access(
    request: HttpRequest, *, target: models.Model, label: str, action: str, reason: str = ""
) -> AccessLogEntry:
    """Record that ``request.user`` read, printed or downloaded ``target``."""
    return AccessLogEntry.objects.create(
        user=request.user,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_label=label,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        reason=reason,
    )
