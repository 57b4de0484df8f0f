from django.db import migrations, models

from training_plan.text import text_sort_key


def fill_sort_keys(apps, schema_editor):
    Organisation = apps.get_model("training_plan", "Organisation")
    for organisation in Organisation.objects.all():
        organisation.sort_key = text_sort_key(organisation.name)
        organisation.save(update_fields=["sort_key"])


class Migration(migrations.Migration):
    dependencies = [("training_plan", "0004_rendered_document")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="sort_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=600,
                verbose_name="khóa sắp xếp",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="organisation",
            options={
                "ordering": ["kind", "sort_key", "name"],
                "verbose_name": "cơ quan, đơn vị",
                "verbose_name_plural": "cơ quan, đơn vị",
            },
        ),
    ]
