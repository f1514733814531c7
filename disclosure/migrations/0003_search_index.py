"""The full-text search index of public notices (disclosure/search.py), in the site's database.

No Django model: the table differs by database and only `disclosure.search` reads or
writes it. One row per public notice, keyed by the notice's id; text is stored already
segmented into words by jieba (space-separated), so the database's own tokenizer only
splits on spaces.

- SQLite: an FTS5 virtual table (rowid = notice id); bm25() ranks. The small facet
  columns come first, so reading them for every match never walks the overflow pages of
  the long text after them. The plain text beside the segmented columns is for the result
  fragments, which are cut and highlighted in Python.
- PostgreSQL: a table with a weighted tsvector (A title and document number, B summary
  and body, C attachments) and a GIN index for `@@`; ts_rank_cd ranks.

No foreign key to the notice: Django's test flush truncates model tables only, and a
foreign key would make PostgreSQL refuse that TRUNCATE. Every search joins the notice
table and checks that the notice is public now, so a stale row never shows.

After migrating a site that already has notices, run `manage.py rebuild_search_index`.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE VIRTUAL TABLE disclosure_search USING fts5(
        top_node_id UNINDEXED, organization_id UNINDEXED, kind UNINDEXED, year UNINDEXED,
        title, body, attachments,
        body_text UNINDEXED, attachment_text UNINDEXED,
        tokenize = 'unicode61'
    );
    """,
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS disclosure_search;"]

POSTGRESQL = [
    """
    CREATE TABLE disclosure_search (
        notice_id bigint PRIMARY KEY,
        top_node_id bigint NOT NULL,
        organization_id bigint NOT NULL,
        kind varchar(20) NOT NULL,
        year integer NOT NULL,
        body_text text NOT NULL,
        attachment_text text NOT NULL,
        document tsvector NOT NULL
    );
    """,
    # The search page's `document @@ query`.
    "CREATE INDEX disclosure_search_document ON disclosure_search USING GIN (document);",
]
POSTGRESQL_REVERSE = ["DROP TABLE IF EXISTS disclosure_search;"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_audit_triggers")]
    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
