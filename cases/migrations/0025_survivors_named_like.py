from django.db import migrations

# The duplicate check's candidates (``cases.queries.SurvivorsNamedLike``): the survivors whose
# legal, preferred or other name is at least ``threshold`` alike one of ``names``, found through
# the trigram indexes of 0018. pg_trgm's operators compare against a setting, not an argument;
# left at its default (0.3) the indexes hand over most of a common name's namesakes to be
# scored one by one. The setting is raised only inside the function: a function's SET clause
# puts back the caller's value when it returns, also over the set_config below, so no other
# query of the request or of a test's transaction sees it. PostgreSQL only, as 0018: the
# SQLite demo compares names by containment.
CREATE = """
CREATE OR REPLACE FUNCTION survivors_named_like(names text[], threshold double precision)
RETURNS bigint[]
LANGUAGE plpgsql STABLE
SET pg_trgm.similarity_threshold = 0.3
SET pg_trgm.word_similarity_threshold = 0.6
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    PERFORM set_config('pg_trgm.similarity_threshold', threshold::text, true),
            set_config('pg_trgm.word_similarity_threshold', threshold::text, true);
    RETURN ARRAY(
        SELECT DISTINCT survivor.id
        FROM cases_survivor AS survivor, unnest(names) AS typed(name)
        WHERE survivor.legal_name_key % typed.name
           OR survivor.preferred_name_key % typed.name
           OR survivor.aliases_key %> typed.name
    );
END
$$
"""
DROP = "DROP FUNCTION IF EXISTS survivors_named_like(text[], double precision)"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the SQL's % are operators


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0024_contact_case_latest_with_kind"),
    ]

    operations = [
        migrations.RunPython(create_function, drop_function),
    ]
