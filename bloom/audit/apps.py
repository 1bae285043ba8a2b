from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bloom.audit"
    label = "audit"
