from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhasesConfig(AppConfig):
    name = "phases"
    verbose_name = _("Phases")

    def ready(self):
        from cases import demo, permissions, sections, timeline  # noqa: PLC0415 (the apps are ready only now)
        from phases.demo import demo_case_plan  # noqa: PLC0415
        from phases.timeline import MOVES  # noqa: PLC0415

        sections.register(
            sections.Section(
                key="plan",
                label=_("Case plan"),
                url_name="phases:plan",
                needs=frozenset({permissions.VIEW}),
                order=10,
            )
        )
        timeline.register(MOVES)
        demo.register_demo(demo_case_plan)
