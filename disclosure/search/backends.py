"""The two databases the index lives in, behind one interface (`_backend()`).

- The index lives in the site's own database (migration 0003): an SQLite FTS5 table ranked
  by bm25(), or a PostgreSQL tsvector with a GIN index ranked by ts_rank_cd().
- Each backend stores index rows (`store`), loads many of them fast (`bulk_load`, `tidy`)
  and gives the SQL of a match (`match`, `candidates`) and of a notice's age
  (`days_since`); no input ever reaches the SQL as syntax. Everything else of the
  ranking is the same SQL on both (`query`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

from .words import QueryWord

TABLE = "disclosure_search"
# Weight of a match in the title (with the document number), the body (with the
# summary) and the attachments, alike in bm25() and ts_rank_cd().
TEXT_WEIGHTS = (10.0, 4.0, 1.0)


@dataclass
class _Document:
    """One index row: ids and facet values, segmented text to match, plain text to show."""

    notice_id: int
    top_node_id: int
    organization_id: int
    kind: str
    year: int
    title: str
    body: str
    attachments: str
    body_text: str
    attachment_text: str


class _SQLite:
    """FTS5; each value is quoted as a string, so no input is ever FTS5 syntax."""

    key = "rowid"
    # For a count that stops early: FTS5 reads its matches newest first as cheaply as
    # oldest first, and the newest are the likeliest to be public still.
    newest_first = f"ORDER BY {TABLE}.rowid DESC"

    def store(self, cursor, documents: list[_Document]) -> None:
        cursor.executemany(
            f"DELETE FROM {TABLE} WHERE rowid = %s", [(d.notice_id,) for d in documents]
        )
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, body, attachments, body_text, attachment_text,"
            " top_node_id, organization_id, kind, year)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (d.notice_id, d.title, d.body, d.attachments, d.body_text, d.attachment_text,
                 d.top_node_id, d.organization_id, d.kind, d.year)
                for d in documents
            ],
        )  # fmt: skip

    # FTS5's own defaults, for a table that never had them set.
    MERGE_DEFAULTS = {"automerge": 4, "crisismerge": 16}
    # While a rebuild writes: no merging of the index's b-trees after each transaction,
    # until 64 of them pile up on one level (each merge would otherwise rewrite much of
    # what the last one wrote); tidy() then merges them all once. 1,000,000 notices of
    # the bench: 66 s instead of 95 s of FTS5 work.
    MERGE_BULK = {"automerge": 0, "crisismerge": 64}

    def _configure(self, settings: dict[str, int]) -> None:
        with connection.cursor() as cursor:
            for name, value in settings.items():
                cursor.execute(f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES (%s, %s)",
                               [name, value])  # fmt: skip

    # FTS5's own tables whose statistics matter to its own statements.
    SHADOW_TABLES = (f"{TABLE}_data", f"{TABLE}_idx")

    def _has_statistics(self, cursor) -> bool:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        return cursor.fetchone() is not None

    def _forget_statistics(self) -> None:
        """An ANALYZE run while the index was small (a new site, or the bench right
        before its rebuild) records a data table of 2 rows; FTS5's own DELETEs then scan
        the whole table on every merge (`optimize` of 100,000 notices: 10 s, not 0.8 s).
        The planner reads statistics when a connection opens: reconnect, when allowed."""
        with connection.cursor() as cursor:
            if not self._has_statistics(cursor):
                return
            cursor.execute(
                "DELETE FROM sqlite_stat1 WHERE tbl IN (%s, %s)", list(self.SHADOW_TABLES)
            )
            forgotten = cursor.rowcount > 0
        if forgotten and not connection.in_atomic_block:
            connection.close()

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        self._forget_statistics()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT k, v FROM {TABLE}_config WHERE k IN ('automerge', 'crisismerge')"
            )
            before = self.MERGE_DEFAULTS | dict(cursor.fetchall())
        self._configure(self.MERGE_BULK)
        try:
            yield
        finally:
            self._configure(before)

    def tidy(self, cursor) -> None:
        # Merge the index's b-trees after a rebuild: smaller and faster to search.
        cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
        if self._has_statistics(cursor):  # the site uses ANALYZE: true numbers again
            for table in self.SHADOW_TABLES:
                cursor.execute(f"ANALYZE {table}")

    def candidates(
        self, words: list[QueryWord], where: list[str], params: list, *, scored: bool = True
    ):
        """(id, score) of the newest matches (rowid DESC: FTS5's own order, so it stops at
        the LIMIT), narrowed by `where` on the index's own columns; score 0 unless
        `scored` (sorted by time, no score is read)."""
        match_sql, match_params = self.match(words)
        # bm25() is lower for better matches; one weight per column, in the table's order
        # (the four facet columns, then title, body and attachments: TEXT_WEIGHTS). It is
        # computed only for the rows kept.
        weights = ", ".join(map(str, TEXT_WEIGHTS))
        score = f"-bm25({TABLE}, 0, 0, 0, 0, {weights})" if scored else "0.0"
        sql = f"""
            SELECT rowid AS id, {score} AS score
            FROM {TABLE}
            WHERE {" AND ".join([match_sql, *where])}
            ORDER BY rowid DESC
            LIMIT %s
        """
        return sql, [*match_params, *params]

    def days_since(self, now: str, column: str) -> str:
        """SQL: the days from `column` (a datetime) to `now` (an SQL value), fractional."""
        return f"(julianday({now}) - julianday({column}))"

    def match(self, words: list[QueryWord]) -> tuple[str, list]:
        def quoted(term: str) -> str:
            return '"' + term.replace('"', '""') + '"'

        groups = []
        for word in words:
            if word.parts:
                parts = " AND ".join(map(quoted, word.parts))
                groups.append(f"({quoted(word.word)} OR ({parts}))")
            else:
                groups.append(quoted(word.word))
        return f"{TABLE} MATCH %s", [" AND ".join(groups)]


class _PostgreSQL:
    """tsvector weighted A (title), B (body), C (attachments); queries built from
    plainto_tsquery() per word, which ignores every operator in its input."""

    key = "notice_id"
    # A bitmap scan hands over its matches in table order; sorting them would read all.
    newest_first = ""

    def store(self, cursor, documents: list[_Document]) -> None:
        cursor.executemany(
            f"INSERT INTO {TABLE} (notice_id, top_node_id, organization_id, kind, year,"
            " body_text, attachment_text, document) VALUES (%s, %s, %s, %s, %s, %s, %s,"
            " setweight(to_tsvector('simple', %s), 'A')"
            " || setweight(to_tsvector('simple', %s), 'B')"
            " || setweight(to_tsvector('simple', %s), 'C'))"
            " ON CONFLICT (notice_id) DO UPDATE SET top_node_id = EXCLUDED.top_node_id,"
            " organization_id = EXCLUDED.organization_id, kind = EXCLUDED.kind,"
            " year = EXCLUDED.year, body_text = EXCLUDED.body_text,"
            " attachment_text = EXCLUDED.attachment_text, document = EXCLUDED.document",
            [
                (d.notice_id, d.top_node_id, d.organization_id, d.kind, d.year, d.body_text,
                 d.attachment_text, d.title, d.body, d.attachments)
                for d in documents
            ],
        )  # fmt: skip

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        yield

    def tidy(self, cursor) -> None:
        # Fresh statistics, so that the planner knows how selective `@@` is after a bulk load.
        cursor.execute(f"ANALYZE {TABLE}")

    def _query(self, words: list[QueryWord]) -> tuple[str, list]:
        term = "plainto_tsquery('simple', %s)"
        groups: list[str] = []
        params: list[str] = []
        for word in words:
            if word.parts:
                parts = " && ".join([term] * len(word.parts))
                groups.append(f"({term} || ({parts}))")
            else:
                groups.append(term)
            params.extend(word.terms())
        return "(" + " && ".join(groups) + ")", params

    def match(self, words: list[QueryWord]) -> tuple[str, list]:
        query, params = self._query(words)
        return f"{TABLE}.document @@ {query}", params

    def candidates(
        self, words: list[QueryWord], where: list[str], params: list, *, scored: bool = True
    ):
        """(id, score) of the newest matches (notice_id DESC), narrowed by `where` on the
        index's own columns; ts_rank_cd() is computed only for the rows kept, and only
        when `scored`."""
        query, query_params = self._query(words)
        # Weights of D, C, B, A: attachments, body and title, TEXT_WEIGHTS as in bm25().
        # No normalisation by ts_rank_cd(); instead bm25()'s saturation (k1 = 1.2), so that
        # a word repeated in a long body weighs, against one in the title, as on SQLite.
        top = TEXT_WEIGHTS[0]  # ts_rank_cd() takes weights up to 1: scaled back below
        weights = "{0, " + ", ".join(str(w / top) for w in TEXT_WEIGHTS[::-1]) + "}"
        rank = f"{top} * ts_rank_cd('{weights}', {TABLE}.document, {query}, 0)" if scored else "0.0"
        sql = f"""
            SELECT id, CASE WHEN r > 0 THEN r * 2.2 / (r + 1.2) ELSE 0.0 END AS score
            FROM (
                SELECT {TABLE}.notice_id AS id, {rank} AS r
                FROM (
                    SELECT notice_id FROM {TABLE}
                    WHERE {" AND ".join([f"document @@ {query}", *where])}
                    ORDER BY notice_id DESC
                    LIMIT %s
                ) newest JOIN {TABLE} ON {TABLE}.notice_id = newest.notice_id
            ) ranked
        """
        return sql, [*(query_params if scored else []), *query_params, *params]

    def days_since(self, now: str, column: str) -> str:
        return f"(EXTRACT(EPOCH FROM (CAST({now} AS timestamptz) - {column})) / 86400.0)"


def _backend() -> _SQLite | _PostgreSQL:
    if connection.vendor == "sqlite":
        return _SQLite()
    if connection.vendor == "postgresql":
        return _PostgreSQL()
    raise NotImplementedError(
        f"Full-text search supports SQLite and PostgreSQL, not {connection.vendor}."
    )
