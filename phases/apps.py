from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhasesConfig(AppConfig):
    name = "phases"
    verbose_name = _("Phases")

    def ready(self):
        from cases import demo, permissions, sections, timeline  # noqa: PLC0415 (the apps are ready only now)
        from phases import figures, printouts, service_report  # noqa: PLC0415
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
        # What the dashboards count and the case list filters by: the current phase, moves, steps.
        figures.register()
        # The survivor's case plan printout.
        printouts.register_builders()
        # What the service reports print of the phase journey and the goals achieved.
        service_report.register_sections()
