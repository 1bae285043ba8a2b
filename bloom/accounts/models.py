from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The roles of the program; each is a Django group of the same name (see roles.py)."""

    SPECIALIST = "specialist", _("Survivor Support Specialist")
    SUPERVISOR = "supervisor", _("Supervisor")
    PROGRAM_DIRECTOR = "program director", _("Program director")
    FINANCE = "finance", _("Finance")
    OUTREACH_WORKER = "outreach worker", _("Outreach worker")
    VOLUNTEER = "volunteer", _("Volunteer")
    TRAINER = "trainer", _("Trainer")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that see every case or control accounts: granted only by a superuser.
PRIVILEGED_ROLES = {Role.PROGRAM_DIRECTOR, Role.ADMINISTRATOR}


class UserManager(DjangoUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Email addresses are matched without regard to case at login.
        return self.get(email__iexact=username)


def language_choices():
    # Read when asked, not at import: a language added to settings.LANGUAGES needs no migration.
    return settings.LANGUAGES


def default_language():
    return settings.LANGUAGE_CODE


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff or a volunteer; signs in with an email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_staff = models.BooleanField(
        _("may use the admin site"),
        default=False,
        help_text=_("Administrators who manage accounts and teams."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Clear this instead of deleting the account, so that history keeps its author."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Django's language codes are at most seven characters ("zh-hans").
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=language_choices,
        default=default_language,
        help_text=_("The language of this person's pages and dates; amounts read $1,500.00 in every language."),
    )

    # Role changes are part of the record: who was made a supervisor, when and by whom.
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def has_role(self, role: Role) -> bool:
        return any(group.name == role for group in self._cached_groups())

    def _cached_groups(self):
        if not hasattr(self, "_bloom_groups"):
            self._bloom_groups = list(self.groups.all())
        return self._bloom_groups


class Team(models.Model):
    """A group of specialists led by one or more supervisors.

    Supervisors see every case of their team through the team's group (object
    permissions granted to ``group``); members are the specialists who take its cases.
    Change who supervises a team only through ``services.set_team_supervisors``.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="team", editable=False)
    supervisors = models.ManyToManyField(
        User, related_name="supervised_teams", blank=True, verbose_name=_("supervisors")
    )
    members = models.ManyToManyField(User, related_name="teams", blank=True, verbose_name=_("members"))

    history = HistoricalRecords(m2m_fields=[supervisors, members])

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name
