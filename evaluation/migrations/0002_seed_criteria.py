from django.db import migrations


def seed(apps, schema_editor):
    from evaluation.seed import criteria_seed

    criteria_seed(apps.get_model("evaluation", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
