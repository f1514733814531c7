"""The keys the repeat hint and the Art. 44 flag look applications up by, for the
applications made before they were stored (Application.save() keeps them from now on)."""

from django.db import migrations

from applications.keys import information_key, normalise_id


def fill_keys(apps, schema_editor) -> None:
    Application = apps.get_model("applications", "Application")
    for a in Application.objects.only("id_number", "description", "document_number").iterator():
        a.applicant_key = normalise_id(a.id_number)[:40]
        a.information_key = information_key(a.description, a.document_number)
        a.save(update_fields=["applicant_key", "information_key"])


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_not_held_organ_repeat_keys_and_record_corrections")]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
