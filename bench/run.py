"""Load-test the portal under gunicorn with wrk, next to a constant 20 KB view.

    python -m bench.run --var bench/out/var-100k --duration 10 --rounds 3

- Serves the database under --var with two gunicorns (sync workers, bench.settings,
  DEBUG off, random free loopback ports): "warm" with the portal's default cache
  (local memory), and "cold", whose pages always miss: the portal's own switch
  PUBLIC_PAGE_CACHE_SECONDS=0 where it exists (--cold app), else BENCH_CACHE=off,
  i.e. Django's DummyCache for every cache (--cold dummy).
- Probes every page in-process first: HTTP status, size, SQL queries on a repeat hit
  with and without the cache. A page whose warm repeat hit makes no fewer queries than
  a miss is not page-cached: it is measured once (on the cold server) and the
  table says so.
- Each round runs the constant view (/bench/constant/) at its start and its middle,
  and every page in between, one `wrk -t1 -c8 -d<duration>s --latency` each; after
  each run, the requests wrk abandoned are left to finish, then a pause. Ratios are
  to the mean of the same round's constant runs; the table shows medians over rounds.
- Reports the gunicorn workers' peak RSS (VmHWM), writes bench/out/latest.md and
  latest.json, and always stops both gunicorns.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote

from bench.generate import peak_rss_mb

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "bench" / "out"
CONSTANT_URL = "/bench/constant/"
FEW_REQUESTS = 50  # fewer completed requests in a run make its percentiles coarse

# Targets of the issue (2 sync workers, wrk -t1 -c8, 1,000,000 notices, embedded SQLite).
CACHED_MIN_RATIO = 0.6
MISS_TARGETS = {  # page key -> (min ratio to the constant view, max p99 in ms)
    "list1": (0.15, 60.0),
    "list500": (0.15, 60.0),
    "detail": (0.4, 60.0),
    "search2": (0.05, 100.0),
    "search4": (0.05, 100.0),
}


@dataclass
class Page:
    key: str
    label: str
    url: str  # percent-encoded
    status: int = 0
    size: int = 0
    queries_miss: int | None = None
    queries_warm: int | None = None
    first_ms: float | None = None  # in-process, the first request after a change
    first_queries: int | None = None
    note: str = ""

    @property
    def cached(self) -> bool:
        return (
            self.queries_warm is not None
            and self.queries_miss is not None
            and self.queries_warm < self.queries_miss
        )


@dataclass
class Run:
    rps: float
    p50: float
    p99: float
    errors: str = ""
    requests: int = 0


@dataclass
class Series:
    """The runs of one page on one server, round by round, with each round's anchor."""

    runs: list[Run] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)


# --- environment and Django ----------------------------------------------------------------


# How the "cold" server misses: the portal's own switch for its page cache when it has one
# (other caches stay as configured), else DummyCache for every cache. Set in main().
COLD_ENV = {
    "app": {"PUBLIC_PAGE_CACHE_SECONDS": "0"},
    "dummy": {"BENCH_CACHE": "off"},
}
COLD = "dummy"
COLD_OVERRIDE = {
    "app": {"PUBLIC_PAGE_CACHE_SECONDS": 0},
    "dummy": {"CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}},
}


def bench_env(var: Path, cache: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "PORTAL_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("BENCH_CACHE", None)
    env.pop("PUBLIC_PAGE_CACHE_SECONDS", None)
    if not cache:
        env.update(COLD_ENV[COLD])
    return env


def setup_django(var: Path) -> None:
    env = bench_env(var, cache=True)
    for name in set(os.environ) - set(env):
        del os.environ[name]
    os.environ.update(env)
    import django

    django.setup()


def prepare() -> list[str]:
    """Migrations the code has and the bench database lacks (applied now), and static files."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    missing = [
        f"{m.app_label}.{m.name}"
        for m, _backwards in executor.migration_plan(executor.loader.graph.leaf_nodes())
    ]
    if missing:
        print(f"applying {len(missing)} migration(s) the bench database lacks", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return missing


def pick_pages(two: str, four: str) -> tuple[list[Page], dict]:
    """The pages to measure, with a detail id and filter parameters taken from the database."""
    from django.db.models import Count, Max, Min

    # The portal's models: importable only once setup_django has chosen the settings.
    from catalog.models import CatalogNode
    from disclosure.models import Notice

    public = Notice.objects.published()
    bounds = public.aggregate(lo=Min("pk"), hi=Max("pk"), last=Max("published_at"))
    if bounds["lo"] is None:
        raise SystemExit("no public notices in this database: run bench.generate first")
    detail = public.filter(pk__gte=(bounds["lo"] + bounds["hi"]) // 2).order_by("pk").first()
    tops = CatalogNode.objects.filter(parent=None)
    # The top catalog node with the most notices in its children (one GROUP BY on the index).
    per_node = dict(
        public.order_by().values_list("catalog_node__parent_id").annotate(n=Count("id"))
    )
    top = max(tops, key=lambda node: per_node.get(node.pk, 0))
    year = bounds["last"].year
    filtered = f"/notices/?catalog={top.pk}&year={year}"
    pages = [
        Page("home", "home", "/"),
        Page("list1", "list, page 1", "/notices/"),
        Page("list500", "list, page 500", "/notices/?page=500"),
        Page("filtered", f"list, {top.name} + {year}", filtered),
        Page("detail", "detail", f"/notices/{detail.pk}/"),
        Page("search2", f"search, 2 characters ({two})", f"/search/?q={quote(two)}"),
        Page("search4", f"search, 4 characters ({four})", f"/search/?q={quote(four)}"),
    ]
    facts = {
        "notices": public.count(),
        "detail_id": detail.pk,
        "filter": {"catalog": top.path, "year": year},
    }
    return pages, facts


def probe(pages: list[Page]) -> None:
    """Status, size and SQL queries of a repeat hit, with the default cache and with none."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    def hit(url: str, times: int) -> tuple[int, int, int]:
        client = Client()
        for _ in range(times):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
        return response.status_code, len(response.content), len(queries)

    from django.core.cache import cache

    for page in pages:
        with override_settings(**COLD_OVERRIDE[COLD]):
            page.status, page.size, page.queries_miss = hit(page.url, 2)
            if page.status == 200 and page.key != "constant":
                # As after a publication: nothing of the new version is cached yet.
                cache.clear()
                start = time.perf_counter()
                _status, _size, page.first_queries = hit(page.url, 1)
                page.first_ms = (time.perf_counter() - start) * 1000
        if page.status == 200:
            _status, _size, page.queries_warm = hit(page.url, 3)


# --- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn (its own session, so stopping it reaches only its own workers)."""

    def __init__(self, name: str, var: Path, cache: bool, workers: int) -> None:
        self.name, self.port = name, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = OUT_DIR / f"gunicorn-{name}.log"
        self.log.write_text("")
        cmd = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--workers", str(workers), "--worker-class", "sync",
            "--bind", f"127.0.0.1:{self.port}", "--timeout", "60",
            "--log-level", "warning", "--error-logfile", str(self.log), "--chdir", str(BASE_DIR),
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            cmd, env=bench_env(var, cache), cwd=BASE_DIR, start_new_session=True
        )
        self.peaks: dict[int, float] = {}

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn {self.name} exited; see {self.log}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise SystemExit(f"gunicorn {self.name} did not answer within {timeout:.0f} s")

    def drain(self) -> None:
        """Wait until the requests wrk abandoned at its deadline have been served.

        Sync workers take connections in order, so a health check that answers comes
        after all of them; otherwise they would slow the next run down.
        """
        http_status(self.base + "/healthz")

    def workers(self) -> list[int]:
        pid = self.proc.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def sample_memory(self) -> None:
        for pid in self.workers():
            self.peaks[pid] = max(self.peaks.get(pid, 0.0), peak_rss_mb(pid))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


# --- wrk -----------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
LATENCY = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)


def parse_wrk(text: str) -> Run:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    latencies = {q: float(v) * UNITS[u] for q, v, u in LATENCY.findall(text)}
    if not rps or "50" not in latencies or "99" not in latencies:
        raise ValueError(f"cannot read wrk's output:\n{text}")
    errors = []
    socket_errors = re.search(r"Socket errors: (.*)", text)
    if socket_errors:
        errors.append(f"socket errors: {socket_errors.group(1).strip()}")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if non2xx:
        errors.append(f"{non2xx.group(1)} non-2xx")
    count = re.search(r"(\d+) requests in", text)
    requests = int(count.group(1)) if count else 0
    if requests < FEW_REQUESTS:
        errors.append(f"only {requests} requests: coarse")
    return Run(float(rps.group(1)), latencies["50"], latencies["99"], "; ".join(errors), requests)


class Wrk:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    def run(self, url: str, duration: int) -> Run:
        a = self.args
        cmd = [
            "wrk", f"-t{a.threads}", f"-c{a.connections}", f"-d{duration}s",
            "--timeout", f"{a.timeout:g}s", "--latency", url,
        ]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
        if out.returncode != 0:
            raise SystemExit(f"wrk failed ({out.returncode}): {out.stderr.strip()}")
        return parse_wrk(out.stdout)


# --- the measurement ---------------------------------------------------------------------------


@dataclass
class Job:
    page: Page | None  # None: the constant view
    server: Server
    mode: str  # "constant", "warm" or "miss"

    @property
    def url(self) -> str:
        return self.server.base + (self.page.url if self.page else CONSTANT_URL)

    @property
    def key(self) -> tuple[str, str]:
        return (self.page.key if self.page else "constant", self.mode)


def plan(pages: list[Page], warm: Server, cold: Server) -> list[Job]:
    """One round: constant, the pages' first half, constant, the rest."""
    jobs = []
    for page in pages:
        if page.status != 200:
            continue
        if page.cached:
            jobs.append(Job(page, warm, "warm"))
        jobs.append(Job(page, cold, "miss"))
    half = (len(jobs) + 1) // 2
    anchor = Job(None, warm, "constant")
    return [anchor, *jobs[:half], Job(None, warm, "constant"), *jobs[half:]]


def measure(jobs: list[Job], args, servers: list[Server]) -> dict[tuple[str, str], Series]:
    wrk = Wrk(args)
    total = len(jobs) * args.rounds
    # Warm-up: every URL once for `warmup` seconds (this also fills the warm server's caches).
    seen = set()
    for job in jobs:
        if job.url not in seen:
            seen.add(job.url)
            wrk.run(job.url, args.warmup)
            job.server.drain()
    time.sleep(args.gap)
    results: dict[tuple[str, str], Series] = {}
    done = 0
    started = time.monotonic()
    for rnd in range(1, args.rounds + 1):
        runs: list[tuple[Job, Run]] = []
        for job in jobs:
            run = wrk.run(job.url, args.duration)
            for server in servers:
                server.sample_memory()
            runs.append((job, run))
            done += 1
            left = (time.monotonic() - started) / done * (total - done)
            print(
                f"round {rnd}/{args.rounds} {job.key[0]:<9} {job.mode:<8} "
                f"{run.rps:8.1f} req/s  p50 {run.p50:7.1f} ms  p99 {run.p99:7.1f} ms"
                f"{'  ' + run.errors if run.errors else ''}  [{done}/{total}, ~{left:.0f} s left]",
                flush=True,
            )
            job.server.drain()
            time.sleep(args.gap)  # (performance.md, surprise 8)
        anchor = statistics.mean(r.rps for j, r in runs if j.page is None)
        for job, run in runs:
            series = results.setdefault(job.key, Series())
            series.runs.append(run)
            series.ratios.append(run.rps / anchor)
    return results


# --- the report --------------------------------------------------------------------------------


def checks(page: Page, mode: str) -> list[tuple[str, float | None, float | None]]:
    """(label, min ratio, max p99) the issue sets for this page in this mode."""
    if mode == "warm":
        return [(f"≥ {CACHED_MIN_RATIO:.2f}×", CACHED_MIN_RATIO, None)]
    if page.key in MISS_TARGETS:
        ratio, p99 = MISS_TARGETS[page.key]
        return [(f"≥ {ratio:.2f}×, p99 ≤ {p99:.0f} ms", ratio, p99)]
    return []


def verdict(series: Series, rules) -> str:
    if not rules:
        return "—"
    ratio, p99 = statistics.median(series.ratios), series.median("p99")
    misses = []
    for _label, min_ratio, max_p99 in rules:
        if min_ratio is not None and ratio < min_ratio:
            misses.append(f"{ratio:.3f}× < {min_ratio:.2f}×")
        if max_p99 is not None and p99 > max_p99:
            misses.append(f"p99 {p99:.0f} > {max_p99:.0f} ms")
    return "pass" if not misses else "**fail** (" + ", ".join(misses) + ")"


def fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table(pages: list[Page], results: dict, constant: Page) -> list[str]:
    lines = [
        row(["page", "URL", "cache", "req/s", "× constant", "p50 ms", "p99 ms", "SQL", "KB",
             "target", "result"]),
        row(["---"] * 11),
    ]  # fmt: skip
    anchor = results[("constant", "constant")]
    lines.append(
        row(["constant 20 KB view", CONSTANT_URL, "—", fmt(anchor.median("rps")), "1.00",
             fmt(anchor.median("p50")), fmt(anchor.median("p99")), str(constant.queries_warm),
             f"{constant.size / 1024:.1f}", "—", errors(anchor) or "—"])
    )  # fmt: skip
    for page in pages:
        shown = unquote(page.url)
        if page.note:
            lines.append(row([page.label, shown, "—", page.note, "", "", "", "", "", "—", "—"]))
            continue
        if page.status != 200:
            reason = "n/a (no search yet)" if page.key.startswith("search") else "n/a"
            lines.append(row([page.label, shown, "—", reason, "", "", "", "", "", "—",
                              f"HTTP {page.status}"]))  # fmt: skip
            continue
        modes = ["warm", "miss"] if page.cached else ["miss"]
        for mode in modes:
            series = results[(page.key, mode)]
            cache = "warm (2nd hit)" if mode == "warm" else "miss"
            if not page.cached:
                cache = "miss (not page-cached)"
            queries = page.queries_warm if mode == "warm" else page.queries_miss
            rules = checks(page, mode)
            result = verdict(series, rules)
            if errors(series):
                result += f" ({errors(series)})"
            lines.append(
                row([page.label, shown, cache, fmt(series.median("rps")),
                     f"{statistics.median(series.ratios):.3f}", fmt(series.median("p50")),
                     fmt(series.median("p99")), str(queries), f"{page.size / 1024:.1f}",
                     "; ".join(label for label, *_ in rules) or "—", result])
            )  # fmt: skip
    return lines


def errors(series: Series) -> str:
    return "; ".join(sorted({r.errors for r in series.runs if r.errors}))


def report(args, var: Path, pages, facts, results, servers, elapsed: float) -> str:
    constant = Page("constant", "constant 20 KB view", CONSTANT_URL)
    probe([constant])
    peaks = {pid: mb for server in servers for pid, mb in server.peaks.items()}
    gen = var / "generate.json"
    gen_facts = json.loads(gen.read_text()) if gen.exists() else {}
    db_mb = sum(p.stat().st_size for p in var.glob("portal.sqlite3*")) / 2**20
    lines = [
        f"Measured {datetime.now():%Y-%m-%d %H:%M} on {os.cpu_count()} cores: "
        f"{facts['notices']:,} public notices ({db_mb:,.0f} MB SQLite), "
        f"gunicorn {args.workers} sync workers per server, "
        f"`wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s`, "
        f"{args.rounds} round(s), medians; ratios to the constant view of the same round.",
        "",
        *table(pages, results, constant),
        "",
        f"- Detail page: notice {facts['detail_id']}; filtered list: catalog "
        f"`{facts['filter']['catalog']}` and its children, year {facts['filter']['year']}.",
        "- cache: *warm (2nd hit)* = the portal's default local-memory cache, after warm-up; "
        "*miss* = the same pages on a second gunicorn with "
        + (
            "the page cache off (`PUBLIC_PAGE_CACHE_SECONDS=0`; other caches as configured)."
            if COLD == "app"
            else "`BENCH_CACHE=off` (DummyCache: every cache lookup misses)."
        ),
        "- The first request after a publication (in-process, every cache entry of the old "
        "version unused; counts and catalog trees recomputed): "
        + ", ".join(
            f"{page.label} {page.first_ms:,.0f} ms / {page.first_queries} SQL"
            for page in pages
            if page.first_ms is not None
        )
        + ". Each worker pays it once per version with the local-memory cache, the whole "
        "site once with Redis.",
        f"- Peak RSS (VmHWM) of the gunicorn workers: {max(peaks.values(), default=0):.0f} MB "
        f"(all {len(peaks)}: {', '.join(f'{mb:.0f}' for mb in sorted(peaks.values()))} MB).",
    ]
    if gen_facts:
        lines.append(
            f"- Generator ({gen_facts['notices']:,} notices): {gen_facts['elapsed_s']:.0f} s, "
            f"peak RSS while loading {gen_facts.get('load_peak_rss_mb', '?')} MB writer + "
            f"{gen_facts.get('producer_peak_rss_mb', '?')} MB producer, "
            f"{gen_facts['peak_rss_mb']} MB overall"
            + (
                f"; rebuild_search_index {gen_facts['steps_s']['rebuild_search_index']:.0f} s"
                if "rebuild_search_index" in gen_facts.get("steps_s", {})
                else ""
            )
            + "."
        )
    if facts.get("migrated"):
        lines.append(
            f"- **The database predates {len(facts['migrated'])} migration(s)** "
            f"({', '.join(facts['migrated'])}), applied before the run: regenerate it "
            "(`python -m bench.generate`) for numbers that match the current code."
        )
    lines.append(f"- Whole run: {elapsed:.0f} s.")
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--var", required=True, help="directory made by bench.generate")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per URL")
    parser.add_argument("--gap", type=float, default=3, help="pause between runs, seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=10, help="wrk request timeout, s")
    parser.add_argument("--two", default="公示", help="the two-character search word")
    parser.add_argument("--four", default="财务收支", help="the four-character search word")
    parser.add_argument(
        "--cold",
        choices=("auto", "app", "dummy"),
        default="auto",
        help="how the cold server misses: app = PUBLIC_PAGE_CACHE_SECONDS=0 (page cache off, "
        "other caches on); dummy = DummyCache for everything; auto = app if the portal has it",
    )
    parser.add_argument("--out", default=str(OUT_DIR / "latest.md"))
    args = parser.parse_args(argv)
    args.var = Path(args.var).resolve()
    if not (args.var / "portal.sqlite3").exists():
        parser.error(f"no database at {args.var}/portal.sqlite3: run python -m bench.generate")
    if not shutil.which("wrk"):
        parser.error("wrk is missing: apt-get install -y wrk")
    return args


def survey(args: argparse.Namespace) -> tuple[list[Page], dict]:
    """Django in this process: the cold mode, migrations, static files, the pages and a probe."""
    global COLD
    setup_django(args.var)
    from django.conf import settings

    has_switch = hasattr(settings, "PUBLIC_PAGE_CACHE_SECONDS")
    COLD = args.cold if args.cold != "auto" else "app" if has_switch else "dummy"
    if COLD == "app" and not has_switch:
        raise SystemExit("--cold app: the portal has no PUBLIC_PAGE_CACHE_SECONDS setting")
    migrated = prepare()
    pages, facts = pick_pages(args.two, args.four)
    facts["migrated"] = migrated
    probe(pages)
    gen = args.var / "generate.json"
    if gen.exists() and json.loads(gen.read_text()).get("search_index") == "skipped":
        for page in pages:
            if page.key.startswith("search") and page.status == 200:
                page.status, page.note = 0, "n/a (search index not built: --skip-search-index)"
    for page in pages:
        print(
            f"{page.key:<9} {unquote(page.url):<40} HTTP {page.status}  {page.size:>7} B  "
            f"SQL miss {page.queries_miss} / warm {page.queries_warm}"
            f"{'  (page cache)' if page.cached else ''}",
            flush=True,
        )
    return pages, facts


def main(argv: list[str] | None = None) -> int:
    started = time.monotonic()
    args = parse_args(argv)
    var = args.var
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    pages, facts = survey(args)
    servers: list[Server] = []
    try:
        servers.append(Server("warm", var, True, args.workers))
        servers.append(Server("cold", var, False, args.workers))
        for server in servers:
            server.wait_ready()
        for page in pages:  # what the servers answer, not only the in-process probe
            if page.status == 200:
                page.status = http_status(servers[1].base + page.url)
        jobs = plan(pages, *servers)
        estimate = len(jobs) * args.rounds * (args.duration + args.gap) + len(jobs) * args.warmup
        print(f"{len(jobs)} runs per round, about {estimate / 60:.0f} min", flush=True)
        results = measure(jobs, args, servers)
    finally:
        for server in servers:
            server.stop()
    text = report(args, var, pages, facts, results, servers, time.monotonic() - started)
    Path(args.out).write_text(text)
    raw = {
        "facts": facts,
        "pages": [page.__dict__ for page in pages],
        "results": {
            f"{k[0]}/{k[1]}": {"runs": [r.__dict__ for r in s.runs], "ratios": s.ratios}
            for k, s in results.items()
        },
    }
    Path(args.out).with_suffix(".json").write_text(json.dumps(raw, indent=2, default=str) + "\n")
    print("\n" + text + f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
