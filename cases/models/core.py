import secrets
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from bloom.accounts.models import Team
from bloom.directory.models import Organization, Town
from bloom.text import fold, fold_lines
from bloom.vocabulary import ControlMethod, VenueType
from cases import amp

# Letters and digits that cannot be mistaken for one another when read aloud or copied.
CLIENT_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CLIENT_CODE_LENGTH = 6
# Below this age a survivor is a minor, whatever the program's age floor.
ADULT_AGE = 18
# How often someone should reach an enrolled survivor, unless the case says otherwise.
DEFAULT_CONTACT_CADENCE_DAYS = 14
LONGEST_CONTACT_CADENCE_DAYS = 365


def digits_of(text: str) -> str:
    """A phone number's digits only, as stored for search: "(860) 555-0100" is "8605550100"."""
    return "".join(ch for ch in text if ch.isdigit())


def new_client_code() -> str:
    """A random code such as ``BL-7KQ4TX``: it carries no order, date or count."""
    return "BL-" + "".join(secrets.choice(CLIENT_CODE_ALPHABET) for _ in range(CLIENT_CODE_LENGTH))


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    TRANS_WOMAN = "transgender woman", _("Transgender woman")
    TRANS_MAN = "transgender man", _("Transgender man")
    NON_BINARY = "non-binary", _("Non-binary")
    ANOTHER = "another", _("Another gender")
    DECLINED = "prefers not to say", _("Prefers not to say")


class Race(models.TextChoices):
    """Race and ethnicity, asked as one multi-select question (federal categories, 2024)."""

    AMERICAN_INDIAN = "american indian", _("American Indian or Alaska Native")
    ASIAN = "asian", _("Asian")
    BLACK = "black", _("Black or African American")
    HISPANIC = "hispanic", _("Hispanic or Latino")
    MENA = "mena", _("Middle Eastern or North African")
    PACIFIC_ISLANDER = "pacific islander", _("Native Hawaiian or Pacific Islander")
    WHITE = "white", _("White")
    DECLINED = "prefers not to say", _("Prefers not to say")


class ImmigrationStatus(models.TextChoices):
    US_CITIZEN = "us citizen", _("U.S. citizen")
    PERMANENT_RESIDENT = "permanent resident", _("Lawful permanent resident")
    T_VISA = "t visa", _("T visa holder")
    T_VISA_APPLIED = "t visa applied", _("T visa applied for")
    CONTINUED_PRESENCE = "continued presence", _("Continued Presence")
    U_VISA = "u visa", _("U visa holder or applicant")
    ASYLUM = "asylum", _("Asylum seeker, asylee or refugee")
    OTHER_LAWFUL = "other lawful", _("Another lawful status")
    NO_STATUS = "no status", _("No lawful status")
    UNKNOWN = "unknown", _("Not known")
    DECLINED = "prefers not to say", _("Prefers not to say")


class Answer(models.TextChoices):
    """An optional question's answer; blank means it was not asked."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    DECLINED = "declined", _("Prefers not to say")


class Survivor(models.Model):
    """A person the program walks alongside. Seen only through one of their cases."""

    # What a specialist may enter and correct about the survivor, in form order.
    DETAIL_FIELDS = (
        "legal_name", "preferred_name", "aliases", "date_of_birth", "estimated_age",
        "gender", "gender_description", "race", "country_of_birth", "born_in_us",
        "immigration_status", "preferred_language", "interpreter_needed",
        "town", "phone", "email", "mailing_address",
        "safe_to_call", "safe_to_leave_message", "safe_to_text", "safe_to_mail", "safe_contact_notes",
        "emergency_contact_name", "emergency_contact_relationship", "emergency_contact_phone",
    )  # fmt: skip
    # The special classifications funders count, each optional and blank ("not asked") by default.
    CLASSIFICATION_FIELDS = (
        "limited_english", "immigrant", "disability", "homeless", "lgbtq", "veteran", "deaf_or_hard_of_hearing",
    )  # fmt: skip
    # Seen and changed only with the sensitive-details permission: whether someone is an
    # immigrant, refugee or asylum seeker says much of what their immigration status says.
    SENSITIVE_FIELDS = ("immigration_status", "immigrant")
    # Each name, and the folded copy of it that the search and the duplicate check read.
    NAME_KEYS = {"legal_name": "legal_name_key", "preferred_name": "preferred_name_key", "aliases": "aliases_key"}

    client_code = models.CharField(_("client code"), max_length=12, unique=True, editable=False)
    legal_name = models.CharField(
        _("legal name"), max_length=200, help_text=_("As much as is known today; it can be corrected later.")
    )
    preferred_name = models.CharField(
        _("preferred name"),
        max_length=200,
        blank=True,
        help_text=_("The name the survivor wants to be called, if different."),
    )
    aliases = models.TextField(
        _("other names"), blank=True, help_text=_("Other names the survivor has used or been called, one per line.")
    )
    # The names folded (``bloom.text``), kept by ``save``, so that the search and the duplicate
    # check find "José Núñez" from "jose nunez". Never shown; purged with the names.
    legal_name_key = models.TextField(blank=True, editable=False)
    preferred_name_key = models.TextField(blank=True, editable=False)
    aliases_key = models.TextField(blank=True, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("When the date of birth is not known."),
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    gender_description = models.CharField(
        _("gender in the survivor's words"), max_length=100, blank=True, help_text=_("Only if they want to say.")
    )
    # A list of Race values. JSON rather than an array so the demo runs on SQLite.
    race = models.JSONField(_("race and ethnicity"), default=list, blank=True)
    country_of_birth = models.CharField(_("country of birth"), max_length=100, blank=True)
    born_in_us = models.BooleanField(_("born in the United States"), null=True, blank=True)
    immigration_status = models.CharField(
        _("immigration status"), max_length=20, choices=ImmigrationStatus.choices, blank=True
    )
    preferred_language = models.CharField(_("preferred language"), max_length=60, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("town of residence"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The phone's digits only, so a search finds "(860) 555-0100" from "8605550100".
    phone_digits = models.CharField(max_length=40, blank=True, editable=False)
    email = models.EmailField(_("email"), blank=True)
    mailing_address = models.TextField(_("mailing address"), blank=True)
    safe_to_call = models.BooleanField(_("safe to call"), null=True, blank=True)
    safe_to_leave_message = models.BooleanField(_("safe to leave a message"), null=True, blank=True)
    safe_to_text = models.BooleanField(_("safe to text"), null=True, blank=True)
    safe_to_mail = models.BooleanField(_("safe to send mail"), null=True, blank=True)
    safe_contact_notes = models.TextField(
        _("safe-contact instructions"),
        blank=True,
        help_text=_("For example: only after 6 pm; say you are calling from the clinic."),
    )
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=200, blank=True)
    emergency_contact_relationship = models.CharField(_("relationship"), max_length=100, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact's phone"), max_length=40, blank=True)
    limited_english = models.CharField(
        _("limited English proficiency"), max_length=10, choices=Answer.choices, blank=True
    )
    immigrant = models.CharField(
        _("immigrant, refugee or asylum seeker"), max_length=10, choices=Answer.choices, blank=True
    )
    disability = models.CharField(_("has a disability"), max_length=10, choices=Answer.choices, blank=True)
    homeless = models.CharField(_("homeless"), max_length=10, choices=Answer.choices, blank=True)
    lgbtq = models.CharField(_("LGBTQ+"), max_length=10, choices=Answer.choices, blank=True)
    veteran = models.CharField(_("veteran"), max_length=10, choices=Answer.choices, blank=True)
    deaf_or_hard_of_hearing = models.CharField(
        _("deaf or hard of hearing"), max_length=10, choices=Answer.choices, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survivor")
        verbose_name_plural = _("survivors")
        ordering = ["client_code"]
        permissions = [("view_sensitive_details", "Can see and change sensitive details of the survivors they see")]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_age__isnull=True) | Q(estimated_age__lte=120),
                name="survivor_estimated_age_plausible",
            ),
        ]

    def __str__(self):
        return self.client_code

    def save(self, **kwargs):
        # Here rather than in each service: every path that writes a name (an intake, an edit, a
        # request for help taken in) must leave the keys in step, or a search would miss someone.
        self.fold_names()
        if kwargs.get("update_fields") is not None:
            written = set(kwargs["update_fields"])
            kwargs["update_fields"] = written | {key for name, key in self.NAME_KEYS.items() if name in written}
        super().save(**kwargs)

    def fold_names(self) -> None:
        """Set the folded keys from the names; for rows written in bulk, which ``save`` does not see."""
        self.legal_name_key = fold(self.legal_name)
        self.preferred_name_key = fold(self.preferred_name)
        self.aliases_key = fold_lines(self.aliases)

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.legal_name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth:
            born = self.date_of_birth
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        return self.estimated_age

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def age_is_estimated(self) -> bool:
        return self.date_of_birth is None and self.estimated_age is not None

    def race_labels(self) -> list[str]:
        return [Race(value).label for value in self.race if value in Race.values]


class ReferralSource(models.TextChoices):
    HOTLINE = "hotline", _("National Human Trafficking Hotline")
    LAW_ENFORCEMENT = "law enforcement", _("Law enforcement")
    DCF = "dcf", _("DCF")
    AGENCY = "agency", _("Another agency")
    OUTREACH = "outreach", _("Outreach")
    SELF = "self", _("Self-referral")
    FAMILY = "family", _("Family or friend")
    OTHER = "other", _("Other")


class NotEnrolledReason(models.TextChoices):
    OUTSIDE_AREA = "outside area", _("Outside the service area")
    UNDER_AGE = "under age", _("Under the age floor")
    NOT_TRAFFICKING = "not trafficking", _("Not a trafficking situation")
    DECLINED = "declined", _("Declined services")
    UNREACHABLE = "unreachable", _("Unable to reach")
    REFERRED = "referred", _("Referred elsewhere")


class GuardianRole(models.TextChoices):
    PARENT = "parent", _("Parent or legal guardian")
    CHILD_WELFARE = "child welfare", _("Child-welfare worker (the child is in state care)")


class ServiceConsent(models.TextChoices):
    """Who consented to services for a minor."""

    GUARDIAN = "guardian", _("Given by the parent or guardian")
    CHILD_WELFARE = "child welfare", _("Given by the child-welfare agency")
    MINOR = "minor", _("Given by the young person, as the law allows")
    NOT_GIVEN = "not given", _("Not given yet")


class NullsLastIndex(models.Index):
    """An index whose descending columns put empty values last, as the case list orders them.

    SQLite (the demo) refuses NULLS LAST in an index, and needs no such words: it sorts empty
    values last in a descending order anyway.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = self
        if schema_editor.connection.vendor == "sqlite":
            index = self.clone()
            index.expressions = tuple(
                models.OrderBy(e.expression, descending=e.descending) if isinstance(e, models.OrderBy) else e
                for e in self.expressions
            )
        return models.Index.create_sql(index, model, schema_editor, using=using, **kwargs)


class Case(models.Model):
    """One enrollment of a survivor in the program, from the referral's intake onwards.

    A case starts in intake (a draft that can be finished later) and gets an outcome:
    enrolled (open) or not enrolled with a reason. Who may see it is decided by object
    permissions kept in step by ``services.assign_case``; read it only through
    ``cases.permissions``.
    """

    class Status(models.TextChoices):
        INTAKE = "intake", _("Intake")
        # "Open" is also a count's heading ("Open": 12), which some languages say in the plural.
        OPEN = "open", pgettext_lazy("a case's status", "Open")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        NOT_ENROLLED = "not enrolled", _("Not enrolled")

    # Enrolled and being served.
    ACTIVE_STATUSES = (Status.OPEN, Status.REOPENED)
    # Enrolled at some point: past the intake's outcome.
    ENROLLED_STATUSES = (*ACTIVE_STATUSES, Status.CLOSED)
    # The fields of the referral, in form order.
    REFERRAL_FIELDS = (
        "referral_source", "referred_on", "referring_organization", "referring_person", "referring_contact",
    )  # fmt: skip

    survivor = models.ForeignKey(Survivor, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INTAKE)
    opened_on = models.DateField(
        _("intake date"), default=timezone.localdate, help_text=_("The day the program first met or spoke with them.")
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reopened_on = models.DateField(_("reopened on"), null=True, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team"))
    specialists = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseAssignment",
        related_name="assigned_cases",
        verbose_name=_("assigned specialists"),
    )
    referral_source = models.CharField(_("referred by"), max_length=20, choices=ReferralSource.choices, blank=True)
    referred_on = models.DateField(_("referral date"), null=True, blank=True)
    referring_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referring organization"),
    )
    referring_person = models.CharField(_("referring person"), max_length=200, blank=True)
    referring_contact = models.CharField(_("how to reach the referring person"), max_length=200, blank=True)
    decided_on = models.DateField(_("outcome date"), null=True, blank=True)
    not_enrolled_reason = models.CharField(
        _("reason not enrolled"), max_length=20, choices=NotEnrolledReason.choices, blank=True
    )
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    # Kept by the services from the survivor's age on the intake date: it decides the
    # mandated-report flow and the adult/minor counts funders ask for.
    minor_at_intake = models.BooleanField(_("a minor at intake"), default=False, editable=False)
    # The survivor's age on the intake date, written by the purge before the date of birth
    # goes: the reports count it in place of the birth date from then on (``cases.tallies``).
    intake_age = models.PositiveSmallIntegerField(
        _("age at intake, kept after a purge"), null=True, blank=True, editable=False
    )
    eligibility_overridden = models.BooleanField(_("eligible by a supervisor's decision"), default=False)
    eligibility_override_reason = models.TextField(_("reason for the decision"), blank=True)
    eligibility_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    # How often someone should be in touch; a longer quiet spell is a reminder.
    contact_cadence_days = models.PositiveSmallIntegerField(
        _("contact every (days)"),
        default=DEFAULT_CONTACT_CADENCE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_CONTACT_CADENCE_DAYS)],
        help_text=_("A reminder is sent when no one has reached the survivor for this many days."),
    )
    # The day agreed for the next contact, set with a contact: what the survivor agreed, with
    # history. While it is later than the quiet spell's first day it is the case's due date.
    next_contact_on = models.DateField(_("next contact on"), null=True, blank=True, editable=False)
    # Kept by ``cases.services.store_last_contact`` from the contacts, the agreed day, the
    # cadence and the enrolment, so that every list reads them instead of the contacts:
    # the last contact that reached the survivor, the one due date (the agreed day, or the
    # quiet spell's first day plus the cadence) and whether it is the agreed day. Written
    # with ``update()`` and left out of the history: they follow from rows that have theirs.
    last_contact_at = models.DateTimeField(null=True, blank=True, editable=False)
    contact_due_on = models.DateField(null=True, blank=True, editable=False)
    next_contact_agreed = models.BooleanField(default=False, editable=False)
    # For a minor: who is responsible for them, whether they may be contacted, and consent.
    guardian_role = models.CharField(_("responsible adult"), max_length=20, choices=GuardianRole.choices, blank=True)
    guardian_name = models.CharField(_("their name"), max_length=200, blank=True)
    guardian_phone = models.CharField(_("their phone"), max_length=40, blank=True)
    guardian_may_be_contacted = models.CharField(
        _("they may be contacted"), max_length=10, choices=Answer.choices, blank=True
    )
    service_consent = models.CharField(
        _("consent for services"), max_length=20, choices=ServiceConsent.choices, blank=True
    )
    # The day a specialist was first assigned, kept through reassignments: HHS asks whether
    # the survivor was matched with a specialist within 48 hours of the referral.
    first_assigned_on = models.DateField(_("first assigned on"), null=True, blank=True, editable=False)
    # Visible only to the assigned specialists and the people named on it (see permissions).
    restricted = models.BooleanField(_("restricted"), default=False)
    # The survivor's earlier enrollment, when they came back after it closed.
    previous_case = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_cases",
        verbose_name=_("earlier enrollment"),
        editable=False,
    )
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    history = HistoricalRecords(excluded_fields=["last_contact_at", "contact_due_on", "next_contact_agreed"])

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-pk"]
        permissions = [
            ("assign_case", "Can assign the case to specialists and teams"),
            ("view_case_history", "Can see the change history of the cases they see"),
            ("view_case_access_log", "Can see who opened the cases they see"),
            ("override_eligibility", "Can decide a survivor is eligible when the rules say otherwise"),
            ("approve_closure", "Can approve closing the cases they may change"),
            ("restrict_case", "Can restrict the cases they may assign to the people named on them"),
            ("open_in_emergency", "Can open a case outside their caseload in a crisis, giving a reason"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False)
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="case_closed_on_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(referred_on__isnull=True) | Q(opened_on__gte=models.F("referred_on")),
                name="case_intake_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(status="intake", decided_on__isnull=True)
                | (~Q(status="intake") & Q(decided_on__isnull=False)),
                name="case_outcome_date_iff_decided",
            ),
            models.CheckConstraint(
                condition=(Q(status="not enrolled") & ~Q(not_enrolled_reason=""))
                | (~Q(status="not enrolled") & Q(not_enrolled_reason="")),
                name="case_reason_iff_not_enrolled",
            ),
            models.CheckConstraint(
                condition=Q(eligibility_overridden=False) | ~Q(eligibility_override_reason=""),
                name="case_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(contact_cadence_days__gte=1, contact_cadence_days__lte=LONGEST_CONTACT_CADENCE_DAYS),
                name="case_contact_cadence_in_range",
            ),
        ]
        # The case list's default order (``Meta.ordering``, ``cases.sorting``) with its status and
        # team filters, its last-contact sort both ways, and the reminders' due cases: each read
        # from an index in order, never a sort of the whole table (docs/ARCHITECTURE.md).
        indexes = [
            models.Index(fields=["opened_on", "id"], name="case_opened_idx"),
            models.Index(fields=["status", "opened_on", "id"], name="case_status_opened_idx"),
            models.Index(fields=["team", "opened_on", "id"], name="case_team_opened_idx"),
            models.Index(fields=["last_contact_at", "id"], name="case_last_contact_idx"),
            NullsLastIndex(
                models.F("last_contact_at").desc(nulls_last=True),
                models.F("id").desc(),
                name="case_last_contact_desc_idx",
            ),
            models.Index(
                fields=["contact_due_on"], condition=Q(status__in=["open", "reopened"]), name="case_active_due_idx"
            ),
            # Every read through the choke point asks whether a restricted case of the survivor
            # leaves the reader out (``permissions.visible_cases``): the few restricted cases, by
            # survivor, instead of a scan of every case on each page.
            models.Index(fields=["survivor"], condition=Q(restricted=True), name="case_restricted_survivor_idx"),
        ]

    def __str__(self):
        return self.survivor.client_code

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def enrolled(self) -> bool:
        """Past the intake's outcome: open, closed or reopened. Before it, an outcome can be recorded."""
        return self.status in self.ENROLLED_STATUSES

    @property
    def in_intake(self) -> bool:
        return self.status == self.Status.INTAKE

    @property
    def age_at_intake(self) -> int | None:
        # Once the purge took the birth date, the age it kept.
        return self.intake_age if self.intake_age is not None else self.survivor.age_on(self.opened_on)

    def computed_minor_at_intake(self) -> bool:
        """Under 18 on the intake date, by date of birth or else by estimated age."""
        age = self.age_at_intake
        return age is not None and age < ADULT_AGE


class CaseAssignment(models.Model):
    """A specialist assigned to a case; rows come and go only through ``services.assign_case``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    specialist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_on = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "specialist"], name="case_assignment_unique"),
        ]

    def __str__(self):
        return f"{self.case} → {self.specialist}"


# django-guardian direct foreign-key tables: object permissions on a case live beside the
# case and are indexed by it, not in guardian's generic tables. Granted and revoked only
# through cases.permissions.


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class FamilyMember(models.Model):
    """A family member served alongside the survivor. Never counted as a client."""

    class Relation(models.TextChoices):
        PARENT = "parent", _("Parent or guardian")
        SIBLING = "sibling", _("Sibling")
        PARTNER = "partner", _("Spouse or partner")
        CHILD_MINOR = "child under 18", _("Child under 18")
        CHILD_ADULT = "child 18 or over", _("Child 18 or over")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="family_members")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices, blank=True)
    relationship = models.CharField(_("relationship in their words"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    added_on = models.DateField(_("added on"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("family member served")
        verbose_name_plural = _("family members served")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class MandatedReport(models.Model):
    """A report made because the survivor is a minor: the DCF Careline report, an MDT referral."""

    class Kind(models.TextChoices):
        CARELINE = "careline", _("DCF Careline report")
        MDT = "mdt", _("Multi-disciplinary team (MDT) referral")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mandated_reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    made_at = models.DateTimeField(_("when it was made"))
    made_by = models.CharField(_("who made it"), max_length=200)
    reference = models.CharField(_("reference number"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandated report")
        verbose_name_plural = _("mandated reports")
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="careline") | ~Q(reference=""), name="mandated_report_careline_has_reference"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}".strip()


class RecruitmentMethod(models.TextChoices):
    INTIMATE_PARTNER = "intimate partner", _("By an intimate partner")
    FAMILY = "family", _("By a family member")
    FRIEND = "friend", _("By a friend or acquaintance")
    JOB_OFFER = "job offer", _("Through a job offer or advertisement")
    ONLINE = "online", _("Online or through social media")
    AGENCY = "agency", _("Through a recruitment or travel agency")
    ABDUCTION = "abduction", _("Abducted")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class Residence(models.TextChoices):
    """Where the person lived while being exploited (the state's reporting categories, and adults')."""

    PARENT_HOME = "parent home", _("Parent or guardian's home")
    RUNAWAY = "runaway", _("AWOL or runaway")
    FOSTER_HOME = "foster home", _("Foster home")
    CONGREGATE_CARE = "congregate care", _("Congregate care")
    RELATIVE_HOME = "relative home", _("Relative's or another home")
    DETENTION = "detention", _("Detention")
    SHELTER = "shelter", _("Shelter")
    OWN_HOME = "own home", _("Their own or a partner's home")
    EMPLOYER_HOUSING = "employer housing", _("Housing provided by the employer or trafficker")
    HOMELESS = "homeless", _("Homeless")
    UNKNOWN = "unknown", _("Missing or not known")


class Screening(models.Model):
    """One version of a case's Action-Means-Purpose screening and trafficking context.

    A screening is never edited: redoing it adds the next version, so every earlier
    answer stays readable. The determination is computed by ``cases.amp.determine``.
    """

    # Seen only with the sensitive-details permission.
    SENSITIVE_FIELDS = ("narrative", "trafficker_in_contact")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    version = models.PositiveSmallIntegerField(_("version"))
    screened_on = models.DateField(_("screened on"), default=timezone.localdate)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Lists of cases.amp values. JSON rather than arrays so the demo runs on SQLite.
    actions = models.JSONField(_("actions"), default=list, blank=True)
    means = models.JSONField(_("means"), default=list, blank=True)
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    unsure = models.JSONField(_("not yet established"), default=list, blank=True)
    minor = models.BooleanField(_("under 18 at the time"), null=True, blank=True)
    determination = models.CharField(_("determination"), max_length=10, choices=amp.Determination.choices)
    venue_types = models.JSONField(_("venue types"), default=list, blank=True)
    control_methods = models.JSONField(_("methods of control"), default=list, blank=True)
    recruitment_method = models.CharField(
        _("how they were recruited"), max_length=20, choices=RecruitmentMethod.choices, blank=True
    )
    residence = models.CharField(
        _("where they lived at the time"), max_length=20, choices=Residence.choices, blank=True
    )
    age_at_first_exploitation = models.PositiveSmallIntegerField(
        _("age when first exploited"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    location = models.CharField(
        _("where it happened"), max_length=200, blank=True, help_text=_("Town, state or country; no street addresses.")
    )
    trafficker_in_contact = models.BooleanField(_("trafficker still in contact"), null=True, blank=True)
    narrative = models.TextField(
        _("what the survivor chose to share"),
        blank=True,
        help_text=_("Only what is needed. The survivor never has to tell their story twice."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["case", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="screening_version_unique"),
            models.CheckConstraint(
                condition=Q(age_at_first_exploitation__isnull=True) | Q(age_at_first_exploitation__lte=120),
                name="screening_age_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.case} v{self.version}"

    def venue_labels(self) -> list[str]:
        return [VenueType(v).label for v in self.venue_types if v in VenueType.values]

    def control_labels(self) -> list[str]:
        return [ControlMethod(v).label for v in self.control_methods if v in ControlMethod.values]

    def answers(self) -> amp.Answers:
        return amp.Answers(
            actions=frozenset(self.actions),
            means=frozenset(self.means),
            purposes=frozenset(self.purposes),
            minor=self.minor,
            unsure=frozenset(self.unsure),
        )

    def result(self) -> amp.Result:
        return amp.determine(self.answers())


class IntakeField(models.Model):
    """How the program director wants one intake field: as built, optional, or hidden.

    A field with no row is as built. ``cases.fields`` names the fields that may be changed
    and those a rule needs; ``cases.services.fields`` is the only writer.
    """

    class State(models.TextChoices):
        SHOWN = "shown", _("Shown as built")
        OPTIONAL = "optional", _("Shown, optional")
        HIDDEN = "hidden", _("Hidden")

    # "survivor.legal_name", "case.referring_person": the model and the field.
    name = models.CharField(_("field"), max_length=80, unique=True)
    state = models.CharField(_("how it is asked"), max_length=10, choices=State.choices, default=State.SHOWN)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intake field")
        verbose_name_plural = _("intake fields")
        ordering = ["name"]
        permissions = [("manage_intake_fields", "Can hide intake fields or make them optional")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["shown", "optional", "hidden"]), name="intake_field_state"),
        ]

    def __str__(self):
        return f"{self.name}: {self.state}"


class ProgramSettings(models.Model):
    """The program's own rules. One row; the service area is the towns marked in the directory."""

    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), default=16, validators=[MaxValueValidator(120)], help_text=_("The youngest age served.")
    )
    phone = models.CharField(
        _("program phone number"),
        max_length=40,
        blank=True,
        help_text=_("Printed on what survivors take home, so they know how to reach the program."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program settings")
        verbose_name_plural = _("program settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="program_settings_single_row")]

    def __str__(self):
        return str(_("Program settings"))

    @classmethod
    def load(cls) -> "ProgramSettings":
        return cls.objects.get_or_create(pk=1)[0]
