"""The default survey of 0002 in Spanish, beside its English (``bloom.translated``).

Every version of it is translated, including those events use: until now the survey had only
its English, so no answer can have been given to a Spanish wording this would change, and the
versions keep reading alike, which is what pools their results. Only what still reads as the
default's English is translated; a construct or item the director reworded in a new version is
left for them. Each row translated gets a history row.
"""

from django.db import migrations
from django.utils import timezone

from training.instruments import DEFAULT_NAME, spanish_item, spanish_words

# Stored as a code (``bloom.said``), put into words in the reader's language.
REASON = "instrument.spanish_installed"


def translate(apps, schema_editor):
    Construct = apps.get_model("training", "Construct")
    Item = apps.get_model("training", "Item")
    constructs = Construct.objects.filter(instrument__name=DEFAULT_NAME).order_by("pk")
    changed = {"Construct": [], "Item": []}
    for construct in constructs:
        words = spanish_words(construct)
        if words and not (construct.translations or {}).get("es"):
            construct.translations = {**(construct.translations or {}), "es": words}
            construct.save(update_fields=["translations"])
            changed["Construct"].append(construct)
    items = Item.objects.filter(construct__in=constructs).select_related("construct").order_by("pk")
    for item in items:
        text = spanish_item(item.construct.code, item.text)
        if text and not (item.translations or {}).get("es"):
            item.translations = {**(item.translations or {}), "es": {"text": text}}
            item.save(update_fields=["translations"])
            changed["Item"].append(item)
    now = timezone.now()
    for name, rows in changed.items():
        model = apps.get_model("training", name)
        historical = apps.get_model("training", f"Historical{name}")
        historical.objects.bulk_create(
            historical(
                **{field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
            )
            for row in rows
        )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0006_translations_and_response_language"),
    ]

    operations = [
        migrations.RunPython(translate, migrations.RunPython.noop),
    ]
