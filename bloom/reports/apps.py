from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bloom.reports"
    label = "reports"

    def ready(self):
        from bloom.reports import builders  # noqa: PLC0415 (it loads models: the registry must be ready)

        builders.register_platform_builders()
