from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from bloom import intake  # noqa: PLC0415
        from cases import permissions, printouts, sections, timeline  # noqa: PLC0415 (they load models: the registry must be ready)
        from cases.service_report import casework, printing  # noqa: PLC0415
        from cases.services import inbox  # noqa: PLC0415
        from cases.survivor_copy import printing as survivor_copy  # noqa: PLC0415

        # Requests for help passed on from outreach arrive in a team's intake queue here.
        intake.receive_with(inbox.receive)
        # The face sheet and the survivor's safety plan printout.
        printouts.register_builders()
        # Service reports: what cases prints of its own, and the case's and the team's reports.
        casework.register_sections()
        printing.register_builders()
        # The survivor's copy of what Bloom holds about them (the other apps add their parts).
        survivor_copy.register_builders()

        sections.register(
            sections.Section(
                key="safety",
                label=_("Safety plan"),
                url_name="cases:safety_plan",
                needs=frozenset({permissions.SEE_SENSITIVE}),
                order=20,
            )
        )
        # Only that a version was saved, and by whom: the timeline is open to everyone who
        # sees the case, and the plan's contents are not.
        timeline.register(
            timeline.Source(
                "safety plan",
                _("Safety plan"),
                lambda case: case.safety_plans.all(),
                "created",
                "cases/timeline/_safety_plan.html",
                ("created_by",),
            )
        )
