"""The words ``cases`` stores for people to read later, by code (``bloom.said``).

Each ``legacy`` is the English sentence the services stored before codes: the data migration
``0NNN_stored_words_as_codes`` reads it to convert the rows written then.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from bloom.said import DAY, FIELDS, LANGUAGE, NUMBER, TEXT, Choice, Named, Words, register
from cases.models import ClosureReason, Document, MandatedReport, Referral, StageOfChange

# A report's period in the access log's reasons before codes: "2026-01-01 to 2026-03-31".
PERIOD = r"(?P<start>[0-9]{4}-[0-9]{2}-[0-9]{2}) to (?P<end>[0-9]{4}-[0-9]{2}-[0-9]{2})"

register(
    "cases",
    # Intake and enrollment
    Words("survivor.registered", _("Survivor registered"), legacy="Survivor registered"),
    Words("case.intake_started", _("Intake started"), legacy="Intake started"),
    Words("case.enrolled", _("Enrolled"), legacy="Enrolled"),
    Words("case.not_enrolled", _("Not enrolled"), legacy="Not enrolled"),
    Words(
        "case.eligibility_decided",
        _("Eligibility decided by a supervisor"),
        legacy="Eligibility decided by a supervisor",
    ),
    Words(
        "screening.saved",
        _("Screening version %(version)s"),
        version=NUMBER,
        legacy=r"Screening version (?P<version>[0-9]+)",
    ),
    Words(
        "mandated_report.recorded",
        _("Recorded: %(kind)s"),
        kind=Choice(MandatedReport.Kind),
        legacy=r"Recorded (?P<kind>.+)",
    ),
    Words("family.added", _("Family member added"), legacy="Family member added"),
    Words("demo.scale_data", _("Made up for a load test"), legacy="Scale data"),
    Words("family.removed", _("Family member removed"), legacy="Family member removed"),
    # Who works on the case. The names are in the assignments' own history, not in the reason.
    Words("case.moved", _("Moved to another team"), legacy=r"Moved to team [^;]+"),
    Words("case.reassigned", _("Specialists changed"), legacy=r"Assigned to .+"),
    Words(
        "case.moved_reassigned",
        _("Moved to another team; specialists changed"),
        legacy=r"Moved to team [^;]+; Assigned to .+",
    ),
    Words("assignment.added", _("Specialist assigned"), legacy="Specialist assigned"),
    Words("case.first_assigned", _("First specialist assigned"), legacy="First specialist assigned"),
    Words("handoff.recorded", _("Handoff"), legacy="Handoff"),
    # Restriction and emergency access
    Words("case.restricted", _("Restricted"), legacy="Restricted"),
    Words("case.restriction_lifted", _("Restriction lifted"), legacy="Restriction lifted"),
    Words("named_person.added", _("Named on the restricted case"), legacy="Named on the restricted case"),
    Words(
        "named_person.removed",
        _("No longer named on the restricted case"),
        legacy="No longer named on the restricted case",
    ),
    Words("emergency.opened", _("Emergency access"), legacy="Emergency access"),
    # Requests for help
    Words("intake_request.passed", _("Request for help passed to intake"), legacy="Request for help passed to intake"),
    Words("intake_request.started", _("Intake started from the request"), legacy="Intake started from the request"),
    Words("intake_request.closed", _("Request closed without an intake"), legacy="Request closed without an intake"),
    # Contacts and services given
    Words("contact.logged", _("Contact logged"), legacy="Contact logged"),
    Words(
        "contact.corrected",
        _("Corrected %(fields)s"),
        fields=FIELDS,
        legacy=r"Corrected (?P<fields>[a-z0-9_]+(?:, [a-z0-9_]+)*)",
    ),
    Words(
        "service_event.given",
        _("Service given: %(service)s"),
        service=Named("cases.Service"),
        legacy=r"Service given: (?P<service>.+)",
    ),
    Words(
        "service_event.unticked",
        _("Service unticked on a corrected contact: %(service)s"),
        service=Named("cases.Service"),
        legacy=r"Service unticked on a corrected contact: (?P<service>.+)",
    ),
    Words(
        "service_event.moved",
        _("Moved to the contact's corrected day"),
        legacy="Moved to the contact's corrected day",
    ),
    Words(
        "case.next_contact_agreed",
        _("Next contact agreed for %(day)s"),
        day=DAY,
        legacy=r"Next contact agreed for (?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})",
    ),
    Words("case.next_contact_cleared", _("Agreed next contact cleared"), legacy="Agreed next contact cleared"),
    Words(
        "case.cadence_set",
        _("Days between contacts: %(days)s"),
        days=NUMBER,
        legacy=r"Contact every (?P<days>[0-9]+) days",
    ),
    Words(
        "stage.recorded",
        _("Stage of change: %(stage)s"),
        stage=Choice(StageOfChange),
        legacy=r"Stage of change: (?P<stage>[a-z]+)",
    ),
    # Safety plans
    Words(
        "safety_plan.saved",
        _("Safety plan version %(version)s saved"),
        version=NUMBER,
        legacy=r"Safety plan version (?P<version>[0-9]+) saved",
    ),
    Words(
        "safety_plan.part",
        _("Part of safety plan version %(version)s"),
        version=NUMBER,
        legacy=r"Part of safety plan version (?P<version>[0-9]+)",
    ),
    # Documents, releases and referrals
    Words(
        "document.added",
        _("Document added: %(kind)s"),
        kind=Choice(Document.Kind),
        legacy=r"Document added \((?P<kind>[a-z ]+)\)",
    ),
    Words("document.deleted", _("Document deleted"), legacy="Document deleted"),
    # A document's title when Bloom files the signed form of a release: whom it was for, as typed.
    Words("document.signed_release", _("Signed release: %(to)s"), to=TEXT),
    Words("release.recorded", _("Release recorded"), legacy="Release recorded"),
    Words("release.revoked", _("Release revoked"), legacy="Release revoked"),
    Words(
        "referral.recorded",
        _("Referral recorded (%(direction)s), without identifying information"),
        direction=Choice(Referral.Direction),
        legacy=r"Referral (?P<direction>in|out) recorded, without identifying information",
    ),
    Words(
        "referral.recorded_identifying",
        _("Referral recorded (%(direction)s), with identifying information"),
        direction=Choice(Referral.Direction),
        legacy=r"Referral (?P<direction>in|out) recorded, with identifying information",
    ),
    Words(
        "referral.changed",
        _("Referral changed: %(fields)s"),
        fields=FIELDS,
        legacy=r"Referral changed: (?P<fields>[a-z0-9_]+(?:, [a-z0-9_]+)*)",
    ),
    # Closing, and enrolling again
    Words("closure.requested", _("Closure requested"), legacy="Closure requested"),
    Words("closure.approved", _("Closure approved"), legacy="Closure approved"),
    Words("closure.returned", _("Closure returned"), legacy="Closure returned"),
    Words("closure.withdrawn", _("Closure withdrawn"), legacy="Closure withdrawn"),
    Words(
        "case.closed",
        _("Closed: %(reason)s"),
        reason=Choice(ClosureReason),
        legacy=r"Closed: (?P<reason>[a-z ]+)",
    ),
    Words(
        "case.reenrolled", _("Enrolled again after an earlier case"), legacy=r"Enrolled again after .+'s earlier case"
    ),
    Words("named_person.carried", _("Named as on the earlier case"), legacy="Named as on the earlier case"),
    # The service catalogue and the funders' codes
    Words("catalogue.installed", _("Catalogue installed"), legacy="Catalogue installed"),
    Words(
        "catalogue.spanish_installed",
        _("Spanish names of the catalogue installed"),
        legacy="Spanish names of the catalogue installed",
    ),
    Words("service.added", _("Service added"), legacy=r"Service added: .+"),
    Words("funder_code.added", _("Code added"), legacy=r"Code added: .+"),
    Words(
        "funder_code.first_reported",
        _("First reported on %(day)s"),
        day=DAY,
        legacy=r"First reported on (?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})",
    ),
    # How the intake fields are asked, and clearing what a hidden field held
    Words("field.asked", _("Asked as built"), legacy="Asked as built"),
    Words("field.optional", _("Made optional"), legacy="Made optional"),
    Words("field.hidden", _("Hidden"), legacy="Hidden"),
    Words(
        "field.cleared",
        _("Cleared %(fields)s: %(why)s"),
        fields=FIELDS,
        why=TEXT,
        legacy=r"Cleared (?P<fields>[a-z0-9_]+): (?P<why>.*)",
    ),
    Words(
        "field.cleared_in",
        ngettext_lazy(
            "Stored values cleared in %(count)s record: %(why)s",
            "Stored values cleared in %(count)s records: %(why)s",
            "count",
        ),
        count=NUMBER,
        why=TEXT,
        legacy=r"Cleared in (?P<count>[0-9]+) records: (?P<why>.*)",
    ),
    # The access log's reasons: what was read, printed or downloaded
    Words(
        "log.document",
        _("Document %(document)s (%(kind)s)"),
        document=NUMBER,
        kind=Choice(Document.Kind),
        legacy=r"document (?P<document>[0-9]+) \((?P<kind>[a-z ]+)\)",
    ),
    Words("log.safety_plan", _("Safety plan"), legacy="Safety plan"),
    Words(
        "log.safety_plan_version",
        _("Safety plan, version %(version)s"),
        version=NUMBER,
        legacy=r"Safety plan, version (?P<version>[0-9]+)",
    ),
    Words(
        "log.survivor_copy",
        _("The survivor's copy of their record, in %(language)s"),
        language=LANGUAGE,
        legacy=r"The survivor's copy of their record, in (?P<language>[a-z-]+)",
    ),
    Words(
        "log.survivor_copy_notes",
        _("The survivor's copy of their record, in %(language)s, with staff notes"),
        language=LANGUAGE,
        legacy=r"The survivor's copy of their record, in (?P<language>[a-z-]+), with staff notes",
    ),
    Words(
        "log.service_report_own",
        _("Service report for the survivor's own copy, %(start)s to %(end)s"),
        start=DAY,
        end=DAY,
        legacy=rf"Service report for the survivor's own copy, {PERIOD}",
    ),
    Words(
        "log.service_report_internal",
        _("Service report for internal use, %(start)s to %(end)s"),
        start=DAY,
        end=DAY,
        legacy=rf"Service report for internal use, {PERIOD}",
    ),
    Words(
        "log.service_report_internal_notes",
        _("Service report for internal use, %(start)s to %(end)s, with notes"),
        start=DAY,
        end=DAY,
        legacy=rf"Service report for internal use, {PERIOD}, with notes",
    ),
    # The organization as it was named when the report was printed, with its id.
    Words(
        "log.service_report_organization",
        _("Service report for %(organization)s, %(start)s to %(end)s"),
        start=DAY,
        end=DAY,
        organization=TEXT,
        legacy=rf"Service report for organization (?P<organization>.+), {PERIOD}",
    ),
    Words(
        "log.team_report",
        _("Team service report for internal use, %(start)s to %(end)s"),
        start=DAY,
        end=DAY,
        legacy=rf"Team service report for internal use, {PERIOD}",
    ),
    Words(
        "log.team_report_notes",
        _("Team service report for internal use, %(start)s to %(end)s, with notes"),
        start=DAY,
        end=DAY,
        legacy=rf"Team service report for internal use, {PERIOD}, with notes",
    ),
)
