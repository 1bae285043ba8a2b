from django.db import migrations

# Trigram indexes on the folded names (0017), which the search and the duplicate check now read:
# the plain column serves both containment (LIKE) and the similarity operators, the folded text
# being lower case already. They replace 0005's indexes on the names as typed, plain and
# UPPER(...), which nothing reads any more. PostgreSQL only, as in 0005: the SQLite demo compares
# the folded names by containment without them.
NEW_INDEXES = {
    "survivor_legal_name_key_trgm": "legal_name_key",
    "survivor_preferred_name_key_trgm": "preferred_name_key",
    "survivor_aliases_key_trgm": "aliases_key",
}
OLD_INDEXES = {
    "survivor_legal_name_trgm": "legal_name",
    "survivor_legal_name_upper_trgm": "UPPER(legal_name)",
    "survivor_preferred_name_trgm": "preferred_name",
    "survivor_preferred_name_upper_trgm": "UPPER(preferred_name)",
    "survivor_aliases_trgm": "aliases",
    "survivor_aliases_upper_trgm": "UPPER(aliases)",
}


def _swap(schema_editor, *, create: dict[str, str], drop: dict[str, str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in create.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_survivor USING gin (({expression}) gin_trgm_ops)"
        )
    for name in drop:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def index_folded_names(apps, schema_editor):
    _swap(schema_editor, create=NEW_INDEXES, drop=OLD_INDEXES)


def index_names_as_typed(apps, schema_editor):
    _swap(schema_editor, create=OLD_INDEXES, drop=NEW_INDEXES)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_survivor_name_keys"),
    ]

    operations = [
        migrations.RunPython(index_folded_names, index_names_as_typed),
    ]
