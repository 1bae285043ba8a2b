from django.db import migrations
from django.utils import timezone

# 0002 installed the default survey's first version without history rows, so its history began
# at the first change made in the app, with nothing to show what it was before. Each row of the
# survey, its constructs and its items that has no history yet gets its first one: as installed.
MODELS = ["SurveyInstrument", "Construct", "Item"]


def first_history(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        model = apps.get_model("training", name)
        historical = apps.get_model("training", f"Historical{name}")
        without = model.objects.exclude(pk__in=historical.objects.values("id")).order_by("pk")
        historical.objects.bulk_create(
            historical(
                **{field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields},
                history_date=now,
                history_type="+",
                history_change_reason="Default survey installed",
            )
            for row in without
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0002_defaults")]

    operations = [migrations.RunPython(first_history, migrations.RunPython.noop)]
