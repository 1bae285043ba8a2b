import secrets
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from bloom.accounts.models import Team
from bloom.directory.models import Town

# Letters and digits that cannot be mistaken for one another when read aloud or copied.
CLIENT_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CLIENT_CODE_LENGTH = 6


def new_client_code() -> str:
    """A random code such as ``BL-7KQ4TX``: it carries no order, date or count."""
    return "BL-" + "".join(secrets.choice(CLIENT_CODE_ALPHABET) for _ in range(CLIENT_CODE_LENGTH))


class Survivor(models.Model):
    """A person the program walks alongside. Seen only through one of their cases."""

    # What a specialist may enter and correct about who the survivor is.
    IDENTITY_FIELDS = ("legal_name", "preferred_name", "date_of_birth", "estimated_age", "town")

    client_code = models.CharField(_("client code"), max_length=12, unique=True, editable=False)
    legal_name = models.CharField(_("legal name"), max_length=200)
    preferred_name = models.CharField(
        _("preferred name"),
        max_length=200,
        blank=True,
        help_text=_("The name the survivor wants to be called, if different."),
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("When the date of birth is not known."),
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("town of residence"))
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survivor")
        verbose_name_plural = _("survivors")
        ordering = ["client_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_age__isnull=True) | Q(estimated_age__lte=120),
                name="survivor_estimated_age_plausible",
            ),
        ]

    def __str__(self):
        return self.client_code

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.legal_name

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


class Case(models.Model):
    """One enrollment of a survivor in the program.

    Who may see it is decided by object permissions kept in step by
    ``services.assign_case``; read it only through ``cases.permissions``.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    survivor = models.ForeignKey(Survivor, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reopened_on = models.DateField(_("reopened on"), null=True, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team"))
    specialists = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseAssignment",
        related_name="assigned_cases",
        verbose_name=_("assigned specialists"),
    )
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-pk"]
        permissions = [
            ("assign_case", "Can assign the case to specialists and teams"),
            ("view_case_history", "Can see the change history of the cases they see"),
            ("view_case_access_log", "Can see who opened the cases they see"),
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
        ]
        indexes = [models.Index(fields=["status", "opened_on"])]

    def __str__(self):
        return self.survivor.client_code

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


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
