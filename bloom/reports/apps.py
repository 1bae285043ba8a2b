from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bloom.reports"
    label = "reports"
