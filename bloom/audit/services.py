import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from bloom.audit.models import AccessLogEntry
from bloom.said import Said

# A reason Bloom writes is a short code; this much room leaves a person's own words whole.
LONGEST_REASON = 2000


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, as far as we can trust it.

    A header such as X-Real-IP is believed only when BLOOM_CLIENT_IP_HEADER names it (set
    it when a proxy you run in front of Bloom overwrites that header); otherwise anyone
    could write any address into the access log.
    """
    header = settings.BLOOM_CLIENT_IP_HEADER
    value = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def log_access(
    request: HttpRequest, *, target: models.Model, label: str, action: str, reason: str | Said = ""
) -> AccessLogEntry:
    """Record that ``request.user`` read, printed or downloaded ``target``.

    ``reason`` is what Bloom says about it (a ``Said`` code, shown in each reader's language) or
    the words a person typed (why they opened a case in an emergency), kept as typed.
    """
    return AccessLogEntry.objects.create(
        user=request.user,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_label=label,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        reason=reason.stored(LONGEST_REASON) if isinstance(reason, Said) else reason,
    )


def blank_reasons_for_purge(targets: Iterable[tuple[type[models.Model], QuerySet]]) -> int:
    """Blank the reason of every entry about ``targets`` ((model, ids) pairs); return how many.

    The access log is append-only for the application. The purge (``retention.purge``) is
    this function's only caller: a reason may hold people's words (why a case was opened in
    an emergency), and a purge takes those from every copy. Who, what, when and from where
    stay, and the entries still point at the purged records, whose tombstones remain.
    """
    about = Q()
    for model, ids in targets:
        about |= Q(
            target_type__app_label=model._meta.app_label,
            target_type__model=model._meta.model_name,
            target_id__in=ids,
        )
    if not about:
        return 0
    # The base manager's queryset is a plain one: the append-only guard stops everything else.
    return AccessLogEntry._base_manager.filter(about, reason__gt="").update(reason="")
