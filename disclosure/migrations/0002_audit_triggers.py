"""The audit trail is append-only in the database itself.

The application refuses to change or delete a NoticeEvent (model and queryset),
and these triggers refuse what gets past it: an UPDATE always, a DELETE while
the event's notice still exists (notices with events are PROTECTed, so that is
always, except when a whole test database is flushed: Django's flush deletes
the notices' table before the events' one).
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER noticeevent_no_update BEFORE UPDATE ON disclosure_noticeevent
    BEGIN SELECT RAISE(ABORT, 'notice events are append-only'); END;
    """,
    """
    CREATE TRIGGER noticeevent_no_delete BEFORE DELETE ON disclosure_noticeevent
    WHEN EXISTS (SELECT 1 FROM disclosure_notice WHERE id = OLD.notice_id)
    BEGIN SELECT RAISE(ABORT, 'notice events are append-only'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS noticeevent_no_update;",
    "DROP TRIGGER IF EXISTS noticeevent_no_delete;",
]

POSTGRESQL = [
    """
    CREATE FUNCTION noticeevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND NOT EXISTS (
            SELECT 1 FROM disclosure_notice WHERE id = OLD.notice_id
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'notice events are append-only' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER noticeevent_append_only BEFORE UPDATE OR DELETE ON disclosure_noticeevent
    FOR EACH ROW EXECUTE FUNCTION noticeevent_append_only();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS noticeevent_append_only ON disclosure_noticeevent;",
    "DROP FUNCTION IF EXISTS noticeevent_append_only();",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
