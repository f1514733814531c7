"""Build a fresh bench database: a county of 20 townships and N published notices.

    python -m bench.generate --notices 100000 --var bench/out/var-100k

- Migrates a new SQLite database under --var (never the project's own var/).
- Creates the county 云溪县 with a county office, 20 townships, each with the demo
  township's departments and 6-10 villages, their staff, and a SiteProfile for the county.
- Streams N published notices in chunks (bulk_create inside one transaction per
  chunk): never more than one chunk in memory. Titles and bodies come from
  bench.phrases; dates spread over the last two years (working days, office hours).
- Each notice's history is the workflow's, through the model's back-dated history:
  submitted, approved at each step of its catalog node's chain, published, with those
  audit events and their content hash; index numbers are taken from IndexSequence in
  bulk, in publication order. One in eight notices has a (shared) real attachment.
- ANALYZE at the end; `rebuild_search_index` is run and timed if the project has it.

This module sets Django up (the settings point at --var) and then imports
bench.county, which holds the rest and imports the portal's models at its top.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "portal.sqlite3"
# Which audit events the load writes: each history's every step, its publication, none.
EVENTS = ("all", "publication", "none")


def setup_django(var: Path) -> None:
    """Point the portal's settings at `var` (embedded SQLite, local cache), DEBUG off."""
    os.environ["PORTAL_VAR_DIR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("PORTAL_SQLITE_NAME", None)
    import django

    django.setup()


def peak_rss_mb(pid: int | str = "self") -> float:
    """VmHWM (peak resident set) of a process in MB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Timer:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        start = time.monotonic()
        try:
            yield
        finally:
            self.times[name] = time.monotonic() - start
            print(f"{name}: {self.times[name]:.1f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--var", required=True, help="directory for the new database")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--events", choices=EVENTS, default="all",
        help="audit events to write: every step of each history (default), only the "
        "publication (a faster load), or none",
    )  # fmt: skip
    parser.add_argument("--no-events", dest="events", action="store_const", const="none",
                        help="as --events none")  # fmt: skip
    parser.add_argument(
        "--skip-search-index", action="store_true", help="do not run rebuild_search_index"
    )
    args = parser.parse_args(argv)

    var = Path(args.var).resolve()
    if var == (BASE_DIR / "var").resolve():
        parser.error("--var must not be the project's own var/: the bench database is rebuilt")
    var.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (var / f"{DB_NAME}{suffix}").unlink(missing_ok=True)

    started = time.monotonic()
    setup_django(var)
    from bench import county  # imports the portal's models: Django must be set up first

    timer = Timer()
    facts = county.build(notices=args.notices, seed=args.seed, events=args.events,
                         search_index=not args.skip_search_index, timer=timer)  # fmt: skip
    load_rss, producer_rss = facts["load_rss"], facts["producer_rss"]
    elapsed = time.monotonic() - started
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu_writer, cpu_producer = own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime
    size = sum(p.stat().st_size for p in var.glob(f"{DB_NAME}*")) / 2**20
    print(
        f"\ngenerated {args.notices:,} notices in {elapsed:.1f} s "
        f"({args.notices / timer.times['notices']:,.0f} notices/s while loading); "
        f"database {size:,.0f} MB at {var / DB_NAME}; peak RSS while loading {load_rss:.0f} MB "
        f"(writer) and {producer_rss:.0f} MB (producer), {peak_rss_mb():.0f} MB overall; "
        f"CPU {cpu_writer:.0f} s writer, {cpu_producer:.0f} s producer",
        flush=True,
    )
    summary = {
        "notices": args.notices,
        "elapsed_s": round(elapsed, 1),
        "database_mb": round(size),
        "peak_rss_mb": round(peak_rss_mb()),
        "load_peak_rss_mb": round(load_rss),
        "producer_peak_rss_mb": round(producer_rss),
        "events": args.events,
        "search_index": facts["search_index"],
        "cpu_s": {"writer": round(cpu_writer), "producer": round(cpu_producer)},
        "steps_s": {k: round(v, 1) for k, v in timer.times.items()},
    }
    (var / "generate.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    # Run as bench.generate, not __main__: bench.county imports Timer and peak_rss_mb from
    # it, and one module is imported once.
    from bench.generate import main as package_main

    sys.exit(package_main())
