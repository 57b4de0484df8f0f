"""A trigram GIN index on Person.search_name, so `search_name__contains` (LIKE '%…%') uses an
index on PostgreSQL. SQLite has no trigram index; there the plain b-tree index stays the only one.
"""

from django.db import migrations

INDEX = "training_plan_person_search_name_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON training_plan_person "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("training_plan", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
