"""What a search costs in-process on a bench database, part by part.

    python -m bench.search --var bench/out/var-1000000 [--repeat 15]

For each query: the whole search (ranking query and page) as `search()` makes it, with
no cache; the same with the ranking's parts other than the text score switched off (the
cost of ranking by title, catalog node, recency or year: the difference); newest first;
and, for the queries that find nothing, the "did you mean" (`suggest.did_you_mean`). The
median and the slowest of `--repeat` runs after one warm-up, in ms of this process's CPU
time (`--clock cpu`, steady on a shared 2-core machine; `--clock wall` for wall time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

from bench.generate import setup_django

QUERIES = ("公示", "财务收支", "低保", "2025年预算", "村 公示 2026", "底保", "危房改照", "dibao")


def _timed(repeat: int, run, clock=time.process_time) -> tuple[float, float, object]:
    value = run()  # warm-up: jieba's dictionary, the pinyin table, SQLite's pages
    times = []
    for _ in range(repeat):
        started = clock()
        value = run()
        times.append((clock() - started) * 1000)
    return statistics.median(times), max(times), value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", required=True, help="directory made by bench.generate")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument("queries", nargs="*", default=list(QUERIES))
    args = parser.parse_args(argv)
    if not (Path(args.var) / "portal.sqlite3").exists():
        parser.error(f"no database at {args.var}/portal.sqlite3: run python -m bench.generate")
    setup_django(Path(args.var).resolve())
    from django.db import connection

    from disclosure.search import query as search_query
    from disclosure.search import search
    from disclosure.search.suggest import did_you_mean

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM disclosure_notice")
        notices = cursor.fetchone()[0]
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    print(f"{notices} notices, CANDIDATES {search_query.CANDIDATES}, {args.repeat} runs each,"
          f" {args.clock} time, median/slowest")  # fmt: skip
    print(f"{'query':<14} {'found':>6} {'ranked':>12} {'text only':>12} {'by time':>12}"
          f" {'did you mean':>14}")  # fmt: skip
    for query in args.queries:
        ranked = _timed(args.repeat, clock=clock, run=lambda q=query: search(q))
        with mock.patch.object(search_query, "_rank_parts", lambda words, now: ("0.0", [])):
            text_only = _timed(args.repeat, clock=clock, run=lambda q=query: search(q))
        by_time = _timed(
            args.repeat, clock=clock, run=lambda q=query: search(q, sort=search_query.Sort.TIME)
        )
        result = ranked[2]
        found = f"{result.total}{'+' if result.capped else ''}"
        suggestion = ""
        if not result.total:
            median, slowest, value = _timed(
                args.repeat, clock=clock, run=lambda q=query: did_you_mean(q)
            )
            suggestion = f"{median:5.1f}/{slowest:5.1f} → {value}"
        print(
            f"{query:<14} {found:>6} "
            + " ".join(f"{m:5.1f}/{s:5.1f} ms" for m, s, _ in (ranked, text_only, by_time))
            + f"  {suggestion}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
