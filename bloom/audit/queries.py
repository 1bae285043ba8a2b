from django.contrib.contenttypes.models import ContentType
from django.db import models

from bloom.audit.models import AccessLogEntry


def access_log_for(target: models.Model):
    """Access-log entries of one record, newest first. The caller has checked the record is visible."""
    return AccessLogEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("user")
