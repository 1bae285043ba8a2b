from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from bloom import demo  # noqa: PLC0415 (the apps are ready only now)
        from training.demo import demo_training  # noqa: PLC0415

        demo.register_program_step(demo_training)
        register_reports()


def register_reports() -> None:
    """The evaluation PDFs: aggregate counts and scores of anonymous surveys, so not logged."""
    from bloom.reports.builders import Builder, register  # noqa: PLC0415
    from training import reports  # noqa: PLC0415

    register(
        Builder(
            kind="training_event_evaluation",
            title=_("Training evaluation for an event"),
            authorize=reports.authorize_event,
            label=str,
            build=reports.event_report,
            logged=False,
        )
    )
    register(
        Builder(
            kind="training_evaluation",
            title=_("Training evaluation over a period"),
            authorize=reports.authorize_period,
            label=lambda _events: "training",
            build=reports.period_report,
            read_parameters=reports.period_parameters,
            logged=False,
        )
    )
