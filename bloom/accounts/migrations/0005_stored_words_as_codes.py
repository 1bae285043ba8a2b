"""What Bloom stored in words before codes (``bloom.said``), stored as codes: the change reasons of
every history table of ``accounts``. A text not recognised is left as it is, and shown as it is."""

from django.db import migrations

from bloom import said


def to_codes(apps, schema_editor):
    said.convert_history(apps, "accounts")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_language"),
    ]

    operations = [
        migrations.RunPython(to_codes, migrations.RunPython.noop),
    ]
