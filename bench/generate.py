"""Build a fresh bench database: a county of 20 townships and N published notices.

    python -m bench.generate --notices 100000 --var bench/out/var-100k

- Migrates a new SQLite database under --var (never the project's own var/).
- Creates the county 云溪县 with a county office, 20 townships, each with the demo
  township's departments and 6-10 villages, their staff, and a SiteProfile for the county.
- Streams N published notices in chunks (bulk_create inside one transaction per
  chunk): never more than one chunk in memory. Titles and bodies come from
  bench.phrases; dates spread over the last two years (working days, office hours).
- Index numbers are assigned here in bulk; each IndexSequence.last_serial is set to
  the highest serial used, so later publications continue after it.
- Each notice gets its "published" audit event; one in eight a (shared) real attachment.
- ANALYZE at the end; `rebuild_search_index` is run and timed if the project has it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import pickle
import random
import resource
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from queue import Empty
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "portal.sqlite3"
CHUNK = 5_000
QUEUED = 2  # chunks composed ahead of the writer
YEARS = 2
TZ = ZoneInfo("Asia/Shanghai")


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


# --- the county ------------------------------------------------------------------------


@dataclass
class Town:
    """One township: its organisations (by key), villages, staff and index-number code."""

    org: object
    name: str  # 白沙镇
    code: str
    units: dict[str, object] = field(default_factory=dict)  # department key -> Organization
    villages: list[object] = field(default_factory=list)
    users: dict[str, object] = field(default_factory=dict)  # role -> User
    weight: float = 1.0
    last_normative: int | None = None


def credit_code(i: int) -> str:
    # 18 characters: region 11350925, a 9-digit body, one check character.
    return f"11350925{3_580_712 + i * 1_301:09d}{'KABCDEFGHJLMNPQRTUWXY'[i]}"


def build_county(rng: random.Random) -> tuple[object, list[Town]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from catalog.models import Membership, Organization
    from demo import township as demo
    from portal.models import SiteProfile

    from .phrases import TOWNSHIPS, VILLAGE_HEADS, VILLAGE_TAILS

    fields = {k: v for k, v in demo.COUNTY.items() if k != "key"}
    county = Organization.objects.create(position=0, **fields)
    county_office = Organization.objects.create(
        parent=county, slug="yunxi-office", name="云溪县人民政府办公室", short_name="县政府办",
        kind=Organization.Kind.DEPARTMENT, position=1, address="云溪县城关镇府前路1号",
        postcode="363600", office_hours="工作日上午8:00—12:00，下午14:30—17:30",
        phone="0596-5120001", fax="0596-5120009", email="xzfb@yunxi.example.gov.cn",
    )  # fmt: skip
    county.disclosure_office = county_office
    county.save(update_fields=["disclosure_office"])

    User = get_user_model()
    unusable = make_password(None)  # bench staff never log in: no slow hashing
    towns: list[Town] = []
    for i, (base, suffix, slug) in enumerate(TOWNSHIPS):
        name = base + suffix
        spec = {k: v for k, v in demo.TOWNSHIP.items() if k not in ("key", "slug", "credit_code")}
        spec = {k: v.replace("青岚镇", name).replace("青岚", base) for k, v in spec.items()}
        code = demo.TOWNSHIP["credit_code"] if i == 0 else credit_code(i)
        org = Organization.objects.create(
            parent=county, slug=slug, credit_code=code, position=10 + i, **spec
        )
        town = Town(org=org, name=name, code=code, weight=rng.uniform(0.5, 1.5))
        for position, (key, _slug, dname, short, extra) in enumerate(demo.DEPARTMENTS, 1):
            extra = {k: v.replace("青岚镇", name).replace("青岚", base) for k, v in extra.items()}
            town.units[key] = Organization.objects.create(
                parent=org, slug=f"{slug}-{key}", name=dname.replace("青岚镇", name),
                short_name=short, kind=Organization.Kind.DEPARTMENT, position=position, **extra,
            )  # fmt: skip
        names = rng.sample(
            [h + t for h in VILLAGE_HEADS for t in VILLAGE_TAILS], rng.randint(6, 10)
        )
        for n, vname in enumerate(names, 1):
            town.villages.append(
                Organization.objects.create(
                    parent=org,
                    slug=f"{slug}-v{n:02d}",
                    name=f"{name}{vname}村民委员会",
                    short_name=f"{vname}村",
                    kind=Organization.Kind.VILLAGE,
                    position=20 + n,
                    address=f"云溪县{name}{vname}村",
                )  # fmt: skip
            )
        town.villages.append(
            Organization.objects.create(
                parent=org,
                slug=f"{slug}-community",
                name=f"{name}{base}社区居民委员会",
                short_name=f"{base}社区",
                kind=Organization.Kind.COMMUNITY,
                position=40,
                address=f"云溪县{name}{base}社区",
            )  # fmt: skip
        )
        org.disclosure_office = town.units["office"]
        org.save(update_fields=["disclosure_office"])

        everything = [org, *town.units.values(), *town.villages]
        roles = {
            "clerk": everything, "leader": everything, "publisher": [town.units["office"]],
            "supervisor": [org], "leadership": [org],
        }  # fmt: skip
        for role, orgs in roles.items():
            user = User.objects.create(
                username=f"{slug}-{role}", first_name=f"{name}{role}", password=unusable,
                is_staff=True,
            )  # fmt: skip
            town.users[role] = user
            Membership.objects.bulk_create(
                Membership(user=user, organization=o, role=role) for o in orgs
            )
        towns.append(town)

    site = {k: v.replace("青岚镇", "云溪县").replace("本镇", "本县") for k, v in demo.SITE.items()}
    site |= {"name": "云溪县政务公开", "organiser": "云溪县人民政府办公室"}
    SiteProfile.objects.create(organization=county, **site)
    print(f"organisations: {Organization.objects.count()}, townships: {len(towns)}", flush=True)
    return county, towns


# --- attachments: a few real files, shared by the notices that carry one -------------------


def make_attachment_files() -> list[dict]:
    from django.core.files.base import ContentFile, File
    from django.core.files.storage import default_storage

    from demo.documents import make_docx, make_pdf, make_xlsx
    from disclosure.uploads import clean_upload

    headers = ["序号", "村（社区）", "户主", "人数", "金额（元）"]
    rows = [[n, "东坪村", f"王*{n}", 3, 1260.00 + n] for n in range(1, 21)]
    made = [
        ("名单.xlsx", make_xlsx("名单", headers, rows)),
        ("明细.pdf", make_pdf("明细", ["本表由系统生成，仅供测试。"] * 6)),
        ("方案.docx", make_docx("方案", ["一、总体要求。", "二、工作措施。", "三、保障措施。"])),
    ]
    files = []
    for name, data in made:
        cleaned = clean_upload(File(ContentFile(data), name=name))
        path = default_storage.save(f"attachments/bench/{name.split('.')[-1]}.{cleaned.extension}",
                                    ContentFile(cleaned.content))  # fmt: skip
        files.append({
            "file": path, "original_name": cleaned.display_name, "extension": cleaned.extension,
            "content_type": cleaned.content_type, "size": len(cleaned.content),
            "sha256": cleaned.sha256,
        })  # fmt: skip
    return files


# --- notices ---------------------------------------------------------------------------------


def working_days(today: date) -> list[date]:
    start = today - timedelta(days=365 * YEARS)
    days = [start + timedelta(days=n) for n in range((today - start).days)]
    return [d for d in days if d.weekday() < 5]


@contextmanager
def raw_timestamps():
    """Let bulk_create keep our created_at/updated_at rather than "now" (in this process only)."""
    from disclosure.models import Attachment, Notice

    fields = [Notice._meta.get_field("created_at"), Notice._meta.get_field("updated_at"),
              Attachment._meta.get_field("created_at")]  # fmt: skip
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def content_hash(notice, attachments: list[dict]) -> str:
    """The same digest as Notice.content_hash(), from the attachments we are about to create."""
    content = {name: str(getattr(notice, name)) for name in notice.CONTENT_FIELDS}
    content["disclosure_mode"] = notice.disclosure_mode
    content["attachments"] = [[a["sha256"], a["original_name"]] for a in attachments]
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass
class Chunk:
    notices: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    events: list = field(default_factory=list)


ATTACHING = ("list", "finance", "village_finance", "tender")  # families that may carry a file


class NoticeFactory:
    """Makes one chunk of unsaved notices (and their attachments and events) at a time."""

    def __init__(self, rng, towns: list[Town], total: int, files: list[dict], events: bool):
        from catalog.models import CatalogNode

        from .phrases import Composer

        self.rng, self.towns, self.total, self.files = rng, towns, total, files
        self.events = events
        self.composer = Composer(rng)
        nodes = {n.path: n for n in CatalogNode.objects.select_related("parent")}
        self.nodes = {path: node.pk for path, node in nodes.items()}
        self.chains = {path: node.review_chain() for path, node in nodes.items()}
        missing = {e.path for e in self.composer.entries} - set(self.nodes)
        if missing:
            raise SystemExit(f"catalog nodes missing from the migration: {sorted(missing)}")
        self.town_weights = [t.weight for t in towns]
        self.days = working_days(datetime.now(TZ).date())
        self.serials: Counter[tuple[str, int]] = Counter()
        self.doc_numbers: Counter[tuple[str, int]] = Counter()

    def published_at(self, i: int) -> datetime:
        day = self.days[i * len(self.days) // self.total]
        minutes = self.rng.randint(8 * 60, 18 * 60)
        return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60,
                        self.rng.randint(0, 59), tzinfo=TZ)  # fmt: skip

    def issuer(self, town: Town, key: str):
        from .phrases import TOWN, VILLAGE

        if key == VILLAGE:
            return self.rng.choice(town.villages)
        if key == TOWN:
            return town.org if self.rng.random() < 0.7 else town.units["office"]
        return town.units[key]

    def chunk(self, start: int, stop: int) -> Chunk:
        """Notices start+1..stop (explicit ids, so the producer needs no database)."""
        from disclosure.models import Attachment, NoticeEvent

        from .phrases import Place

        r = self.rng
        made = Chunk()
        for i in range(start, stop):
            town = r.choices(self.towns, weights=self.town_weights)[0]
            entry = self.composer.entry()
            org = self.issuer(town, entry.issuer)
            village = org if org in town.villages else r.choice(town.villages)
            dept = town.units[r.choice(("office", "civil", "finance", "agri", "land", "social"))]
            at = self.published_at(i)
            place = Place(town=town.name, unit=org.short_name or org.name, dept=dept.short_name,
                          villages=[], org_name=org.name, phone=org.phone or town.org.phone,
                          postcode=town.org.postcode)  # fmt: skip
            ctx = self.composer.context(place, village.short_name, at.date())
            title, summary, body = self.composer.compose(entry, ctx)
            notice = self.notice(entry, town, org, at, title, summary, body)
            notice.pk = i + 1
            made.notices.append(notice)
            files = []
            if entry.family in ATTACHING and r.random() < 0.25:
                files = [r.choice(self.files)]
                made.attachments.append(
                    Attachment(notice_id=notice.pk, title=files[0]["original_name"].split(".")[0],
                               position=1, created_at=notice.submitted_at, **files[0])
                )  # fmt: skip
            if self.events:
                made.events.append(
                    NoticeEvent(
                        notice_id=notice.pk, actor_id=town.users["publisher"].pk,
                        action="published", old_status="approved", new_status="published",
                        role="publisher", content_hash=content_hash(notice, files), created=at,
                    )
                )  # fmt: skip
            if notice.kind == "document" and notice.validity == "in_force":
                town.last_normative = notice.pk
        return made

    def notice(self, entry, town: Town, org, at: datetime, title, summary, body):
        from disclosure.models import Notice

        r = self.rng
        kind = entry.kind
        interprets = None
        if kind == "interpretation":
            interprets = town.last_normative
            if interprets is None:
                kind = "document"
        written = at.date() - timedelta(days=r.randint(0, 6))
        year = at.year
        self.serials[(town.code, year)] += 1
        document_number = ""
        if kind == "document":
            self.doc_numbers[(town.code, year)] += 1
            sort = r.choice(("政发", "政办", "政文"))
            document_number = (
                f"{town.name[0]}{sort}〔{year}〕{self.doc_numbers[(town.code, year)]}号"
            )
        validity, changed = "in_force", None
        if kind == "document" and r.random() < 0.08:
            changed = at.date() + timedelta(days=r.randint(30, 400))
            if changed < date.today():
                validity = r.choice(("expired", "repealed"))
            else:
                changed = None
        chain = self.chains[entry.path]
        submitted = at - timedelta(days=2, hours=len(chain))
        return Notice(
            title=title[:200], summary=summary, body=body, kind=kind,
            catalog_node_id=self.nodes[entry.path], organization_id=org.pk,
            document_number=document_number, written_date=written,
            formed_date=written + timedelta(days=r.randint(0, 1)) if r.random() < 0.3 else written,
            published_at=at,
            index_number=f"{town.code}/{year}-{self.serials[(town.code, year)]:05d}",
            validity=validity, validity_changed_on=changed, interprets_id=interprets,
            posting_ends_on=at.date() + timedelta(days=r.choice((5, 7, 10)))
            if kind == "publicity" else None,
            views=int(r.paretovariate(1.2) * 20) % 20_000,
            status="published", review_chain=chain, review_step=len(chain) - 1,
            submitted_by_id=town.users["clerk"].pk, submitted_at=submitted,
            confidentiality_reviewed_by_id=town.users["leader"].pk,
            confidentiality_reviewed_at=submitted + timedelta(hours=1),
            created_by_id=town.users["clerk"].pk, created_at=submitted - timedelta(hours=3),
            updated_at=at,
        )  # fmt: skip


def save_chunk(made: Chunk) -> None:
    from django.db import transaction

    from disclosure.models import Attachment, Notice, NoticeEvent

    with transaction.atomic():
        Notice.objects.bulk_create(made.notices)
        Attachment.objects.bulk_create(made.attachments)
        NoticeEvent.objects.bulk_create(made.events)


def produce(factory: NoticeFactory, queue) -> None:
    """The producer process: composes chunks while the parent writes the previous ones."""
    try:
        for start in range(0, factory.total, CHUNK):
            # Pickled here, not in the queue's feeder thread, so a failure reaches the parent.
            queue.put(pickle.dumps(factory.chunk(start, min(start + CHUNK, factory.total))))
        queue.put(("done", factory.serials, peak_rss_mb()))
    except BaseException as exc:  # the parent must hear of it, not wait forever
        queue.put(("error", repr(exc), 0.0))
        raise


@contextmanager
def fast_sqlite():
    """PRAGMAs for the load only: no fsync, no FK checks (our rows are valid by construction)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("PRAGMA foreign_keys=OFF")
        c.execute("PRAGMA synchronous=OFF")
        c.execute("PRAGMA cache_size=-65536")  # 64 MB of page cache
        c.execute("PRAGMA temp_store=MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as c:
            c.execute("PRAGMA synchronous=NORMAL")
            c.execute("PRAGMA foreign_keys=ON")


def load_notices(rng, towns, total: int, events: bool, timer: Timer) -> float:
    """Compose in a forked producer, write here: the two cores work at once.

    At most QUEUED chunks wait between them, so memory stays flat whatever `total` is.
    Returns the producer's peak RSS in MB.
    """
    from django.db import connection

    from portal.progress import Progress

    factory = NoticeFactory(rng, towns, total, make_attachment_files(), events)
    connection.close()  # the child must not inherit an open SQLite connection
    mp = multiprocessing.get_context("fork")
    queue = mp.Queue(maxsize=QUEUED)
    child = mp.Process(target=produce, args=(factory, queue), daemon=True)
    progress = Progress("notices", total, sys.stdout, interval=5.0)
    with timer("notices"), raw_timestamps():
        child.start()
        try:
            with fast_sqlite():
                while True:
                    item = get(queue, child)
                    if isinstance(item, bytes):
                        item = pickle.loads(item)
                    if isinstance(item, Chunk):
                        save_chunk(item)
                        progress.step(len(item.notices))
                        continue
                    if item[0] == "error":
                        raise SystemExit(f"the producer failed: {item[1]}")
                    _done, serials, child_rss = item
                    break
        finally:
            child.join(timeout=10)
            if child.is_alive():
                child.terminate()
    set_sequences(serials)
    return child_rss


def get(queue, child):
    while True:
        try:
            return queue.get(timeout=5)
        except Empty:
            if not child.is_alive():
                raise SystemExit(f"the producer died (exit code {child.exitcode})") from None


def set_sequences(serials: Counter) -> None:
    """Each (code, year) sequence continues after the highest serial the load used."""
    from catalog.models import IndexSequence

    for (code, year), last in serials.items():
        seq, _ = IndexSequence.objects.get_or_create(credit_code=code, year=year)
        if seq.last_serial < last:
            seq.last_serial = last
            seq.save(update_fields=["last_serial"])


def finish(timer: Timer, search_index: bool) -> str:
    """ANALYZE, the search index if the project has one; returns what became of the index."""
    from django.core.management import call_command, get_commands
    from django.db import connection

    with timer("analyze"), connection.cursor() as c:
        c.execute("ANALYZE")
    if not search_index:
        status = "skipped"
        print("rebuild_search_index: skipped (--skip-search-index)", flush=True)
    elif "rebuild_search_index" in get_commands():
        status = "built"
        with timer("rebuild_search_index"):
            call_command("rebuild_search_index")
    else:
        status = "no command"
        print("rebuild_search_index: no such command yet, skipped", flush=True)
    with connection.cursor() as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return status


def check(total: int) -> None:
    """Index numbers unique and sequences ahead of every serial used."""
    from catalog.models import IndexSequence
    from disclosure.models import Notice

    public = Notice.objects.published().count()
    assert public == total, f"{public} public notices, expected {total}"
    for seq in IndexSequence.objects.all():
        prefix = f"{seq.credit_code}/{seq.year}-"
        last = (
            Notice.objects.filter(index_number__startswith=prefix)
            .order_by("-index_number")
            .values_list("index_number", flat=True)
            .first()
        )
        if last is not None:
            assert int(last.rsplit("-", 1)[1]) <= seq.last_serial, (seq, last)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--var", required=True, help="directory for the new database")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-events", action="store_true", help="skip the audit events")
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
    from django.core.management import call_command
    from django.db import transaction

    timer = Timer()
    rng = random.Random(args.seed)
    with timer("migrate"):
        call_command("migrate", verbosity=0, interactive=False)
    with timer("county"), transaction.atomic():
        _county, towns = build_county(rng)
    producer_rss = load_notices(rng, towns, args.notices, not args.no_events, timer)
    load_rss = peak_rss_mb()  # before the search index, which loads jieba's dictionary
    search_index = finish(timer, not args.skip_search_index)
    with timer("check"):
        check(args.notices)
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
        "search_index": search_index,
        "cpu_s": {"writer": round(cpu_writer), "producer": round(cpu_producer)},
        "steps_s": {k: round(v, 1) for k, v in timer.times.items()},
    }
    (var / "generate.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    # Run as bench.generate, not __main__, so that the chunks the producer pickles name
    # their classes by a module both processes import.
    from bench.generate import main as package_main

    sys.exit(package_main())
