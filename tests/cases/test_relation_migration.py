"""Migration 0013 reads today's free-text family relationships into the new choice."""

import importlib

import pytest

relation_of = importlib.import_module("cases.migrations.0013_seed_services_and_migrate_relations").relation_of


@pytest.mark.parametrize(
    ("words", "adult", "relation"),
    [
        ("Mother", None, "parent"),
        ("step-father", None, "parent"),
        ("legal guardian", None, "parent"),
        ("Sister", None, "sibling"),
        ("older brothers", None, "sibling"),
        ("husband", None, "partner"),
        ("boyfriend, lives with her", None, "partner"),
        ("son", False, "child under 18"),
        ("daughter", True, "child 18 or over"),
        ("her son", None, "other"),
        ("cousin", None, "other"),
        ("", None, ""),
    ],
)
def test_written_relationships_become_a_relation(words, adult, relation):
    assert relation_of(words, adult=adult) == relation
