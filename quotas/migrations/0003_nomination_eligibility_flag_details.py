# Eligibility as data: the verdicts of a nomination move from JSON in a text field
# (`eligibility_notes`, '{"flag": "ok", "verdicts": [...]}', filtered by string prefix) to an
# indexed flag with choices (`eligibility_flag`) and a JSON list (`eligibility_details`).
# Existing rows of the nominations and of their history are converted; the way back writes the
# old text again.

import json

from django.db import migrations, models

FLAGS = {"none", "ok", "warn", "overridden", "blocked"}
BATCH = 1000
# Text that was not stored verdicts (typed in the admin, say) is kept in the nomination's note.
LEGACY_PREFIX = "Ghi chú điều kiện trước đây: "


def flag_of(verdicts):
    """The summary of stored verdicts, as `courses.eligibility.EligibilityReport.flag` had it
    when this migration was written (copied: a migration must not follow later code)."""
    failed = [v for v in verdicts if not v.get("ok")]
    if any(v.get("severity") == "block" for v in failed):
        return "blocked"
    if any(v.get("severity") != "block" and not v.get("overridden") for v in failed):
        return "warn"
    if failed:
        return "overridden"
    return "ok" if verdicts else "none"


def parse_notes(text):
    """(flag, verdicts, leftover text) of the old `eligibility_notes`."""
    text = (text or "").strip()
    if not text:
        return "none", [], ""
    try:
        data = json.loads(text)
    except ValueError:
        return "none", [], text
    if not isinstance(data, dict):
        return "none", [], text
    verdicts = [v for v in data.get("verdicts") or [] if isinstance(v, dict)]
    flag = data.get("flag")
    if flag not in FLAGS or (verdicts and flag != flag_of(verdicts)):
        flag = flag_of(verdicts)
    return flag, verdicts, ""


def notes_to_fields(apps, schema_editor):
    for name in ("Nomination", "HistoricalNomination"):
        model = apps.get_model("quotas", name)
        pk = model._meta.pk.name
        changed = []
        rows = (
            model.objects.exclude(eligibility_notes="")
            .only(pk, "eligibility_notes", "note")
            .order_by(pk)
        )
        for row in rows.iterator(chunk_size=BATCH):
            row.eligibility_flag, row.eligibility_details, leftover = parse_notes(
                row.eligibility_notes
            )
            if leftover:
                row.note = f"{row.note}\n{LEGACY_PREFIX}{leftover}".strip()
            changed.append(row)
            if len(changed) >= BATCH:
                model.objects.bulk_update(
                    changed, ["eligibility_flag", "eligibility_details", "note"]
                )
                changed = []
        if changed:
            model.objects.bulk_update(changed, ["eligibility_flag", "eligibility_details", "note"])


def fields_to_notes(apps, schema_editor):
    for name in ("Nomination", "HistoricalNomination"):
        model = apps.get_model("quotas", name)
        pk = model._meta.pk.name
        changed = []
        rows = model.objects.only(pk, "eligibility_flag", "eligibility_details").order_by(pk)
        for row in rows.iterator(chunk_size=BATCH):
            if row.eligibility_flag == "none" and not row.eligibility_details:
                continue  # the old default: no notes
            row.eligibility_notes = json.dumps(
                {"flag": row.eligibility_flag, "verdicts": row.eligibility_details or []},
                ensure_ascii=False,
            )
            changed.append(row)
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, ["eligibility_notes"])
                changed = []
        if changed:
            model.objects.bulk_update(changed, ["eligibility_notes"])


FLAG_FIELD = models.CharField(
    choices=[
        ("none", "Không có điều kiện kiểm tra tự động"),
        ("ok", "Đạt các điều kiện"),
        ("warn", "Có cảnh báo chưa được chấp nhận"),
        ("overridden", "Cảnh báo đã được chấp nhận"),
        ("blocked", "Không đạt điều kiện"),
    ],
    default="none",
    max_length=20,
    verbose_name="kết quả kiểm tra điều kiện",
)
DETAILS_FIELD = models.JSONField(
    blank=True,
    default=list,
    help_text="Kết quả từng điều kiện của lần kiểm tra gần nhất (do hệ thống ghi).",
    verbose_name="chi tiết kiểm tra điều kiện",
)


class Migration(migrations.Migration):
    dependencies = [
        ("quotas", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="nomination", name="eligibility_flag", field=FLAG_FIELD.clone()
        ),
        migrations.AddField(
            model_name="nomination", name="eligibility_details", field=DETAILS_FIELD.clone()
        ),
        migrations.AddField(
            model_name="historicalnomination", name="eligibility_flag", field=FLAG_FIELD.clone()
        ),
        migrations.AddField(
            model_name="historicalnomination",
            name="eligibility_details",
            field=DETAILS_FIELD.clone(),
        ),
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(
                fields=["eligibility_flag", "status"], name="quotas_nomi_eligibi_389057_idx"
            ),
        ),
        migrations.RunPython(notes_to_fields, fields_to_notes),
        migrations.RemoveField(model_name="nomination", name="eligibility_notes"),
        migrations.RemoveField(model_name="historicalnomination", name="eligibility_notes"),
    ]
