"""The bench county and its notices, written into the database bench.generate set up.

Imports the portal's models at the top: import this module only once Django is set up
(`bench.generate.setup_django`, which points the settings at the bench's --var).

Every notice's history goes through the model's back-dated history
(`Notice.backdated()`): the workflow's fields, its events with the content hash, and
index numbers from `IndexSequence` in publication order, so the bench never holds a row
the workflow would not write.
"""

from __future__ import annotations

import multiprocessing
import pickle
import random
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from queue import Empty
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.management import call_command, get_commands
from django.db import connection, transaction

from catalog.models import (
    CatalogNode,
    IndexSequence,
    Membership,
    Organization,
    format_index_number,
)
from demo import township as demo
from demo.documents import make_docx, make_pdf, make_xlsx
from disclosure.models import Attachment, Notice, NoticeEvent
from disclosure.uploads import clean_upload
from portal.models import SiteProfile
from portal.progress import Progress

from .generate import Timer, peak_rss_mb
from .phrases import TOWN, TOWNSHIPS, VILLAGE, VILLAGE_HEADS, VILLAGE_TAILS, Composer, Place

CHUNK = 5_000
QUEUED = 2  # chunks composed ahead of the writer
YEARS = 2
TZ = ZoneInfo("Asia/Shanghai")


def build(*, notices: int, seed: int, events: str, search_index: bool, timer: Timer) -> dict:
    """Migrate, build the county, load `notices`, analyse, index, check. Returns facts for
    the summary: the producer's and the loading writer's peak RSS, the search index."""
    rng = random.Random(seed)
    with timer("migrate"):
        call_command("migrate", verbosity=0, interactive=False)
    with timer("county"), transaction.atomic():
        _county, towns = build_county(rng)
    producer_rss = load_notices(rng, towns, notices, events, timer)
    load_rss = peak_rss_mb()  # before the search index, which loads jieba's dictionary
    status = finish(timer, search_index)
    with timer("check"):
        check(notices, rng)
    return {"producer_rss": producer_rss, "load_rss": load_rss, "search_index": status}


# --- the county ------------------------------------------------------------------------


@dataclass
class Town:
    """One township: its organisations (by key), villages and staff (by role)."""

    org: Organization
    name: str  # 白沙镇
    units: dict[str, Organization] = field(default_factory=dict)  # department key -> org
    villages: list[Organization] = field(default_factory=list)
    users: dict[str, object] = field(default_factory=dict)  # role -> User
    weight: float = 1.0
    last_normative: int | None = None


def credit_code(i: int) -> str:
    # 18 characters: region 11350925, a 9-digit body, one check character.
    return f"11350925{3_580_712 + i * 1_301:09d}{'KABCDEFGHJLMNPQRTUWXY'[i]}"


def build_county(rng: random.Random) -> tuple[Organization, list[Town]]:
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

    unusable = make_password(None)  # bench staff never log in: no slow hashing
    towns = [build_town(i, county, rng, unusable) for i in range(len(TOWNSHIPS))]

    site = {k: v.replace("青岚镇", "云溪县").replace("本镇", "本县") for k, v in demo.SITE.items()}
    site |= {"name": "云溪县政务公开", "organiser": "云溪县人民政府办公室"}
    SiteProfile.objects.create(organization=county, **site)
    print(f"organisations: {Organization.objects.count()}, townships: {len(towns)}", flush=True)
    return county, towns


def build_town(i: int, county: Organization, rng: random.Random, password: str) -> Town:
    base, suffix, slug = TOWNSHIPS[i]
    name = base + suffix
    spec = {k: v for k, v in demo.TOWNSHIP.items() if k not in ("key", "slug", "credit_code")}
    spec = {k: v.replace("青岚镇", name).replace("青岚", base) for k, v in spec.items()}
    code = demo.TOWNSHIP["credit_code"] if i == 0 else credit_code(i)
    org = Organization.objects.create(
        parent=county, slug=slug, credit_code=code, position=10 + i, **spec
    )
    town = Town(org=org, name=name, weight=rng.uniform(0.5, 1.5))
    for position, (key, _slug, dname, short, extra) in enumerate(demo.DEPARTMENTS, 1):
        extra = {k: v.replace("青岚镇", name).replace("青岚", base) for k, v in extra.items()}
        town.units[key] = Organization.objects.create(
            parent=org, slug=f"{slug}-{key}", name=dname.replace("青岚镇", name),
            short_name=short, kind=Organization.Kind.DEPARTMENT, position=position, **extra,
        )  # fmt: skip
    names = rng.sample([h + t for h in VILLAGE_HEADS for t in VILLAGE_TAILS], rng.randint(6, 10))
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
        user = get_user_model().objects.create(
            username=f"{slug}-{role}", first_name=f"{name}{role}", password=password,
            is_staff=True,
        )  # fmt: skip
        town.users[role] = user
        Membership.objects.bulk_create(
            Membership(user=user, organization=o, role=role) for o in orgs
        )
    return town


# --- attachments: a few real files, shared by the notices that carry one -------------------


def make_attachment_files() -> list[dict]:
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


@dataclass
class Chunk:
    notices: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    events: list = field(default_factory=list)


ATTACHING = ("list", "finance", "village_finance", "tender")  # families that may carry a file


class NoticeFactory:
    """Makes one chunk of unsaved notices (and their attachments and events) at a time."""

    def __init__(self, rng, towns: list[Town], total: int, files: list[dict], events: str):
        """`events`: one of bench.generate.EVENTS."""
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
        self.doc_numbers: dict[tuple[str, int], int] = {}

    def published_at(self, i: int) -> datetime:
        day = self.days[i * len(self.days) // self.total]
        minutes = self.rng.randint(8 * 60, 18 * 60)
        return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60,
                        self.rng.randint(0, 59), tzinfo=TZ)  # fmt: skip

    def issuer(self, town: Town, key: str) -> Organization:
        if key == VILLAGE:
            return self.rng.choice(town.villages)
        if key == TOWN:
            return town.org if self.rng.random() < 0.7 else town.units["office"]
        return town.units[key]

    def chunk(self, start: int, stop: int) -> Chunk:
        """Notices start+1..stop (explicit ids, so the producer needs no database)."""
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
            events = self.history(notice, town, entry.path, at, files)
            for file in files:
                made.attachments.append(
                    Attachment(notice_id=notice.pk, title=file["original_name"].split(".")[0],
                               position=1, created_at=notice.submitted_at, **file)
                )  # fmt: skip
            if self.events == "all":
                made.events += events
            elif self.events == "publication":
                made.events.append(events[-1])
            if notice.kind == "document" and notice.validity == "in_force":
                town.last_normative = notice.pk
        return made

    def history(self, notice: Notice, town: Town, path: str, at: datetime, files) -> list:
        """Submitted by the township's clerk two days (and an hour a step) before `at`,
        reviewed an hour a step by the township's people, published at `at`; its number is
        taken by the writer (`save_chunk`): the producer has no database."""
        chain = self.chains[path]
        history = notice.backdated(attachments=[(f["sha256"], f["original_name"]) for f in files])
        submitted = at - timedelta(days=2, hours=len(chain))
        history.review(town.users, submitted_at=submitted, chain=chain)
        history.publish(town.users["publisher"], when=at, take_index_number=False)
        notice.created_by = town.users["clerk"]
        notice.created_at, notice.updated_at = submitted - timedelta(hours=3), at
        return history.events

    def notice(self, entry, town: Town, org, at: datetime, title, summary, body) -> Notice:
        r = self.rng
        kind = entry.kind
        interprets = None
        if kind == "interpretation":
            interprets = town.last_normative
            if interprets is None:
                kind = "document"
        written = at.date() - timedelta(days=r.randint(0, 6))
        document_number = ""
        if kind == "document":
            key = (town.org.slug, at.year)
            self.doc_numbers[key] = self.doc_numbers.get(key, 0) + 1
            sort = r.choice(("政发", "政办", "政文"))
            document_number = f"{town.name[0]}{sort}〔{at.year}〕{self.doc_numbers[key]}号"
        validity, changed = "in_force", None
        if kind == "document" and r.random() < 0.08:
            changed = at.date() + timedelta(days=r.randint(30, 400))
            if changed < date.today():
                validity = r.choice(("expired", "repealed"))
            else:
                changed = None
        return Notice(
            title=title[:200], summary=summary, body=body, kind=kind,
            catalog_node_id=self.nodes[entry.path], organization=org,
            document_number=document_number, written_date=written,
            formed_date=written + timedelta(days=r.randint(0, 1)) if r.random() < 0.3 else written,
            validity=validity, validity_changed_on=changed, interprets_id=interprets,
            # A 公示's end is counted in working days by its history's publication.
            posting_working_days=r.choice((5, 7, 10)) if kind == "publicity" else None,
            views=int(r.paretovariate(1.2) * 20) % 20_000,
        )  # fmt: skip


def save_chunk(made: Chunk) -> None:
    """One transaction: the chunk's index numbers taken (in publication order), its rows in."""
    with transaction.atomic():
        Notice.number_in_bulk(made.notices)
        Notice.objects.bulk_create(made.notices)
        Attachment.objects.bulk_create(made.attachments)
        NoticeEvent.objects.bulk_create(made.events)


def produce(factory: NoticeFactory, queue) -> None:
    """The producer process: composes chunks while the parent writes the previous ones."""
    try:
        for start in range(0, factory.total, CHUNK):
            # Pickled here, not in the queue's feeder thread, so a failure reaches the parent.
            queue.put(pickle.dumps(factory.chunk(start, min(start + CHUNK, factory.total))))
        queue.put(("done", peak_rss_mb()))
    except BaseException as exc:  # the parent must hear of it, not wait forever
        queue.put(("error", repr(exc)))
        raise


@contextmanager
def fast_sqlite():
    """PRAGMAs for the load only: no fsync, no FK checks (our rows are valid by construction)."""
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


def load_notices(rng, towns, total: int, events: str, timer: Timer) -> float:
    """Compose in a forked producer, write here: the two cores work at once.

    At most QUEUED chunks wait between them, so memory stays flat whatever `total` is.
    Returns the producer's peak RSS in MB.
    """
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
                    return item[1]
        finally:
            child.join(timeout=10)
            if child.is_alive():
                child.terminate()


def get(queue, child):
    while True:
        try:
            return queue.get(timeout=5)
        except Empty:
            if not child.is_alive():
                raise SystemExit(f"the producer died (exit code {child.exitcode})") from None


def finish(timer: Timer, search_index: bool) -> str:
    """ANALYZE, the search index if the project has one; returns what became of the index."""
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


def check(total: int, rng: random.Random, sample: int = 50) -> None:
    """All public; every serial the sequences handed out is on exactly one notice; the
    events of a sample of notices hash what `content_hash()` says of them now."""
    # Every notice is public, or a 公示 whose posting period is over (disclosure.models.posting).
    public = Notice.objects.published().count() + Notice.objects.posting_ended().count()
    assert public == total, f"{public} public notices, expected {total}"
    taken = sum(IndexSequence.objects.values_list("last_serial", flat=True))
    numbered = Notice.objects.filter(index_number__isnull=False).count()
    assert taken == numbered, f"{taken} serials taken, {numbered} notices numbered"
    for seq in IndexSequence.objects.all():
        last = format_index_number(credit_code=seq.credit_code, year=seq.year,
                                   serial=seq.last_serial)  # fmt: skip
        assert Notice.objects.filter(index_number=last).exists(), (seq, last)
    ids = rng.sample(range(1, total + 1), min(sample, total))
    for notice in Notice.objects.filter(pk__in=ids).prefetch_related("events"):
        digest = notice.content_hash()
        assert all(e.content_hash == digest for e in notice.events.all()), notice.pk
