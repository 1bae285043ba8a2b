"""What Bloom stored in words before codes (``bloom.said``), stored as codes: the change reasons of
every history table of ``directory``. A text not recognised is left as it is, and shown as it is."""

from django.db import migrations

from bloom import said


def to_codes(apps, schema_editor):
    said.convert_history(apps, "directory")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_organization_housing_program"),
    ]

    operations = [
        migrations.RunPython(to_codes, migrations.RunPython.noop),
    ]
