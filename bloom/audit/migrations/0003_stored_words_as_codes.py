"""What Bloom wrote in words before codes (``bloom.said``) as the access log's reasons, stored as
codes: what a printout, a download or an export was. A reason a person typed (why they opened a
case in an emergency) is no sentence of Bloom's and is left as typed, as is any text not
recognised.

The access log is append-only for the application; a migration's models are plain ones, and this
is its one rewrite: of Bloom's own words, never of who, what, when or from where."""

from django.db import migrations

from bloom import said

LONGEST = 2000


def to_codes(apps, schema_editor):
    entries = apps.get_model("audit", "AccessLogEntry")._base_manager.all()
    said.convert_column(entries, "reason", app="audit", limit=LONGEST)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_purge_log"),
    ]

    operations = [
        migrations.RunPython(to_codes, migrations.RunPython.noop),
    ]
