from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = _("Assistance")

    def ready(self):
        from assistance import figures, service_report  # noqa: PLC0415
        from assistance.delivered import RULES  # noqa: PLC0415 (the apps are ready only now)
        from assistance.demo import demo_assistance  # noqa: PLC0415
        from assistance.timeline import SOURCES  # noqa: PLC0415
        from cases import delivered, demo, permissions, sections, timeline  # noqa: PLC0415

        sections.register(
            sections.Section(
                key="assistance",
                label=_("Assistance"),
                url_name="assistance:case",
                needs=frozenset({permissions.VIEW}),
                order=20,
            )
        )
        for source in SOURCES:
            timeline.register(source)
        for rule in RULES:
            delivered.register(rule)
        demo.register_demo(demo_assistance)
        # What the dashboards count and the case list filters by: stays near their limit.
        figures.register()
        # What the service reports print of money, help in kind and housing.
        service_report.register_sections()
