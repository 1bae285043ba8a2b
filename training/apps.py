from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from bloom import demo  # noqa: PLC0415 (the apps are ready only now)
        from training.demo import demo_training  # noqa: PLC0415

        demo.register_program_step(demo_training)
