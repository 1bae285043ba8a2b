from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self):
        from bloom import demo  # noqa: PLC0415 (the apps are ready only now)
        from outreach.demo import demo_outreach  # noqa: PLC0415

        demo.register_program_step(demo_outreach)
