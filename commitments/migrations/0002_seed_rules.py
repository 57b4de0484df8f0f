from django.db import migrations


def seed(apps, schema_editor):
    from commitments.seed import commitment_rules_seed

    commitment_rules_seed(apps.get_model("commitments", "CommitmentRule"))


class Migration(migrations.Migration):
    dependencies = [("commitments", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
