"""The last contact that reached the survivor and the contact due date, kept on the case.

The lists read them instead of asking the contacts for every row. Filled here for every case
in two UPDATEs (no loop over cases, on PostgreSQL and on the SQLite demo alike), by the rule of
``cases.services.store_last_contact``, written out again so that this migration keeps meaning
what it meant when the code moves on. The indexes are the case list's orders and filters.
"""

import django.db.models.functions
from django.conf import settings
from django.db import migrations, models

import cases.models.core

# The contact kinds that reached the survivor: every kind but an attempt.
REACHED = ("in person", "phone", "text", "video")


class AddDays(models.Func):
    """A date plus a whole number of days, on PostgreSQL and on SQLite (as ``cases.queries.AddDays``)."""

    arity = 2
    output_field = models.DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra_context
        )


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Contact = apps.get_model("cases", "Contact")
    cases = Case._base_manager.using(schema_editor.connection.alias)
    reached = Contact._base_manager.filter(case=models.OuterRef("pk"), kind__in=REACHED).order_by("-occurred_at")
    cases.update(last_contact_at=models.Subquery(reached.values("occurred_at")[:1]))
    served_from = django.db.models.functions.Coalesce("reopened_on", "decided_on", "opened_on")
    since = django.db.models.functions.Greatest(
        django.db.models.functions.Coalesce(django.db.models.functions.TruncDate("last_contact_at"), served_from),
        served_from,
    )
    agreed = models.Q(next_contact_on__isnull=False, next_contact_on__gt=since)
    cases.update(
        next_contact_agreed=models.Case(models.When(agreed, then=models.Value(True)), default=models.Value(False)),
        contact_due_on=models.Case(
            models.When(agreed, then=models.F("next_contact_on")),
            default=AddDays(since, models.F("contact_cadence_days")),
            output_field=models.DateField(),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_stored_words_as_codes"),
        ("cases", "0021_spanish_service_names"),
        ("directory", "0004_stored_words_as_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="cases_case_status_64d69f_idx",
        ),
        migrations.AddField(
            model_name="case",
            name="contact_due_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="case",
            name="last_contact_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="case",
            name="next_contact_agreed",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["opened_on", "id"], name="case_opened_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["status", "opened_on", "id"], name="case_status_opened_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["team", "opened_on", "id"], name="case_team_opened_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["last_contact_at", "id"], name="case_last_contact_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=cases.models.core.NullsLastIndex(
                models.OrderBy(models.F("last_contact_at"), descending=True, nulls_last=True),
                models.OrderBy(models.F("id"), descending=True),
                name="case_last_contact_desc_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["open", "reopened"])),
                fields=["contact_due_on"],
                name="case_active_due_idx",
            ),
        ),
    ]
