"""Load the demo township 青岚镇: organisations, people, notices with real attachments.

Never a migration: demo data is for trying the portal, not for production.
Running it again changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile, File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from applications import handling
from applications.models import Application
from catalog.models import CatalogNode, Membership, Organization
from demo import content, township
from demo.documents import make_docx, make_pdf, make_xlsx
from disclosure import search
from disclosure.models import Attachment, Notice, NoticeEvent
from disclosure.uploads import clean_upload
from portal.models import SiteProfile
from portal.progress import Progress
from portal.public import bump_on_commit

STAFF_GROUP = "政务公开工作人员"
STAFF_PERMISSIONS = [
    ("disclosure", "notice", ["add", "change", "view"]),
    ("disclosure", "attachment", ["add", "change", "delete", "view"]),
    ("catalog", "catalognode", ["view"]),
    ("catalog", "organization", ["view"]),
]


class Command(BaseCommand):
    help = "Load the demo township (refuses to run with DEBUG=False unless --force)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG=False (never in production)."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. The demo township is fictional; "
                "use --force only on a test installation."
            )
        if Organization.objects.filter(slug=township.TOWNSHIP["slug"]).exists():
            self.stdout.write("The demo township is already loaded; nothing changed.")
        else:
            with transaction.atomic():
                orgs = self.create_organizations()
                self.create_site_profile(orgs)
                users = self.create_people(orgs)
                self.create_notices(orgs, users)
                self.create_applications(orgs, users)
                bump_on_commit()  # cached public pages show the new township
            search.rebuild(self.stdout)
        self.print_accounts()

    # --- organisations and people -------------------------------------------------

    def create_organizations(self) -> dict[str, Organization]:
        def make(spec: dict, parent: Organization | None, position: int) -> Organization:
            fields = {k: v for k, v in spec.items() if k != "key"}
            return Organization.objects.create(parent=parent, position=position, **fields)

        orgs = {"county": make(township.COUNTY, None, 0)}
        orgs["township"] = make(township.TOWNSHIP, orgs["county"], 0)
        for position, (key, slug, name, short, extra) in enumerate(township.DEPARTMENTS, 1):
            orgs[key] = Organization.objects.create(
                parent=orgs["township"],
                slug=slug,
                name=name,
                short_name=short,
                kind=Organization.Kind.DEPARTMENT,
                position=position,
                **extra,
            )
        for position, (key, slug, name, short, kind) in enumerate(township.VILLAGES, 20):
            orgs[key] = Organization.objects.create(
                parent=orgs["township"],
                slug=slug,
                name=name,
                short_name=short,
                kind=kind,
                position=position,
                address=f"云溪县青岚镇{short}",
            )
        orgs["township"].disclosure_office = orgs["office"]
        orgs["township"].full_clean()
        orgs["township"].save(update_fields=["disclosure_office"])
        self.stdout.write(f"organisations: {len(orgs)}")
        return orgs

    def create_site_profile(self, orgs: dict[str, Organization]) -> None:
        SiteProfile.objects.create(organization=orgs["township"], **township.SITE)

    def create_people(self, orgs: dict[str, Organization]) -> dict[str, object]:
        User = get_user_model()
        group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
        for app_label, model, actions in STAFF_PERMISSIONS:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )
        users = {}
        for username, full_name, roles, superuser in township.PEOPLE:
            user = User.objects.create_user(
                username=username,
                password=township.DEMO_PASSWORD,
                first_name=full_name,
                email=f"{username}@qinglan.example.gov.cn",
                is_staff=True,
                is_superuser=superuser,
            )
            user.groups.add(group)
            for org_key, role, title in roles:
                Membership.objects.create(
                    user=user, organization=orgs[org_key], role=role, title=title
                )
            users[username] = user
        self.stdout.write(f"people: {len(users)}")
        return users

    # --- notices ------------------------------------------------------------------

    def create_notices(self, orgs: dict[str, Organization], users: dict[str, object]) -> None:
        self.configure_catalog()
        nodes = {node.path: node for node in CatalogNode.objects.all()}
        holders = {
            (m.organization_id, m.role): m.user
            for m in Membership.objects.select_related("user").order_by("-id")
        }
        specs = sorted(map(dated, content.NOTICES), key=lambda s: s["published"])
        by_key: dict[str, Notice] = {}
        progress = Progress("notices", len(specs), self.stdout)
        # Sorted by publication, a policy exists before its interpretation. The newer
        # document that replaces an old one is linked before any history is written: the
        # link is content, and every event hashes the content as it then stood.
        for spec in specs:
            interprets = by_key[spec["interprets"]] if spec.get("interprets") else None
            by_key[spec["key"]] = self.create_notice(spec, orgs, nodes, interprets)
            progress.step()  # the attachments are the slow part
        for spec in specs:
            if spec.get("superseded_by"):
                notice = by_key[spec["key"]]
                notice.superseded_by = by_key[spec["superseded_by"]]
                notice.full_clean()
                notice.save(update_fields=["superseded_by"])
        # In publication order, so index numbers follow it.
        for spec in specs:
            notice = by_key[spec["key"]]
            people = {
                role: holders[(notice.organization_id, role)]
                for role in (Membership.Role.CLERK, Membership.Role.LEADER)
            }
            people |= {
                Membership.Role.SUPERVISOR: users["supervisor"],
                Membership.Role.LEADERSHIP: users["group"],
                Membership.Role.PUBLISHER: users["office"],
            }
            write_history(notice, spec, people)

    def configure_catalog(self) -> None:
        """The demo office's choices for its 公示: a 任前公示 names people, so its page goes
        once its period is over (the others keep a summary page, the site default)."""
        CatalogNode.objects.filter(path="personnel/appointments").update(
            after_posting=CatalogNode.AfterPosting.WITHDRAWN
        )

    def create_notice(self, spec: dict, orgs, nodes, interprets) -> Notice:
        written = date.fromisoformat(spec["written"])
        notice = Notice(
            title=spec["title"],
            summary=spec.get("summary", ""),
            body="".join(f"<p>{paragraph}</p>" for paragraph in spec["body"]),
            kind=spec["kind"],
            catalog_node=nodes[spec["catalog"]],
            organization=orgs[spec["org"]],
            document_number=spec.get("document_number", ""),
            written_date=written,
            formed_date=written,
            validity=spec.get("validity", Notice.Validity.IN_FORCE),
            validity_changed_on=(
                date.fromisoformat(spec["validity_changed_on"])
                if spec.get("validity_changed_on")
                else None
            ),
            interprets=interprets,
        )
        # A 公示's end is counted in working days when it is published (write_history).
        notice.posting_working_days = spec.get("posting_working_days")
        if spec.get("state") in ("on_application", "not_disclosed"):
            notice.disclosure_mode = spec["state"]
            notice.non_disclosure_reason = spec["reason"]
        notice.full_clean(exclude=["superseded_by"])
        notice.save()
        for position, attachment in enumerate(spec.get("attachments", []), 1):
            self.attach(notice, attachment, position)
        return notice

    def attach(self, notice: Notice, spec: dict, position: int) -> None:
        if spec["type"] == "xlsx":
            data = make_xlsx(spec["title"], spec["sheet"]["headers"], spec["sheet"]["rows"])
        elif spec["type"] == "pdf":
            data = make_pdf(spec["title"], spec["paragraphs"])
        else:
            data = make_docx(spec["title"], spec["paragraphs"])
        # The same checks as a clerk's upload, so demo files are what real ones would be.
        cleaned = clean_upload(File(ContentFile(data), name=spec["filename"]))
        Attachment.objects.create(
            notice=notice,
            title=spec["title"],
            file=ContentFile(cleaned.content, name=f"demo.{cleaned.extension}"),
            original_name=cleaned.display_name,
            extension=cleaned.extension,
            content_type=cleaned.content_type,
            size=len(cleaned.content),
            sha256=cleaned.sha256,
            position=position,
        )

    def create_applications(self, orgs: dict[str, Organization], users: dict) -> None:
        """Applications to try the staff side on: new, being handled, answered, overdue."""
        today = timezone.localdate()
        base = {
            "township": orgs["township"], "applicant_type": "person", "id_type": "resident_id",
            "delivery_form": "electronic", "delivery_channel": "online", "channel": "online",
        }  # fmt: skip
        for name, id_number, phone, description, state in content.APPLICATIONS:
            a = Application.objects.create(name=name, id_number=id_number, phone=phone,
                                           description=description, **base)  # fmt: skip
            if state == "new":
                continue
            received = today - timedelta(days=49 if state == "overdue" else 3)
            handling.confirm_receipt(a, by=users["office"], on=received)
            handling.assign(a, by=users["office"], department=orgs["civil"])
            if state == "answered":
                details = "所需信息已在本网站“低保、五保与救助”栏目公开。"
                handling.close(a, by=users["office"], outcome="1", details=details)
        self.stdout.write(f"applications: {len(content.APPLICATIONS)}")

    def print_accounts(self) -> None:
        names = {key: short for key, _slug, _name, short, *_rest in township.DEPARTMENTS}
        names |= {key: short for key, _slug, _name, short, _kind in township.VILLAGES}
        names["township"] = township.TOWNSHIP["short_name"]
        roles = dict(Membership.Role.choices)
        self.stdout.write("")
        self.stdout.write(
            "Demo accounts for the staff side, http://127.0.0.1:8000/admin/ "
            f"(password for all: {township.DEMO_PASSWORD})"
        )
        for username, full_name, memberships, _superuser in township.PEOPLE:
            held: dict[str, list[str]] = {}
            for org_key, role, _title in memberships:
                held.setdefault(str(roles[role]), []).append(names[org_key])
            what = "; ".join(f"{role}（{_names(orgs)}）" for role, orgs in held.items())
            self.stdout.write(f"  {username:<11} {full_name:<6} {what or '系统管理员'}")
        self.stdout.write("Public site: http://127.0.0.1:8000/")


def dated(spec: dict) -> dict:
    """The spec with `published_days_ago` / `written_days_ago` turned into dates that many
    days before today (the published time of day kept)."""
    if "published_days_ago" not in spec and "written_days_ago" not in spec:
        return spec
    today = timezone.localdate()
    spec = dict(spec)
    if "published_days_ago" in spec:
        day = today - timedelta(days=spec["published_days_ago"])
        spec["published"] = f"{day.isoformat()} {spec['published'][11:]}"
    if "written_days_ago" in spec:
        spec["written"] = (today - timedelta(days=spec["written_days_ago"])).isoformat()
    return spec


def _names(orgs: list[str]) -> str:
    return "、".join(orgs) if len(orgs) <= 3 else f"{'、'.join(orgs[:3])}等{len(orgs)}个单位"


RETURN_REASON = "请补充资金来源和公示期限，附件名单需按规定脱敏。"


def write_history(notice: Notice, spec: dict, people: dict[str, object]) -> None:
    """The demo notice's past, replayed by the model's back-dated history and saved.

    - Demo notices were published over two years: submitted two days (and an hour per
      review step) before their publication date, reviewed an hour a step, published
      then, and a withdrawn one taken down three days later.
    - A scheduled one was published a minute ago, for a week from now.
    - One still in the workflow with `waiting_days` took its last step that many days
      before now (so the to-do pages show current work), an hour a step before it; one
      `submitted` with `approved_steps` waits at the step after those.
    - `people` by role: every actor holds the role the step needs.
    """
    state = spec.get("state", "published")
    notice.created_by = people[Membership.Role.CLERK]
    history = notice.backdated()
    if state != "draft":
        when = timezone.make_aware(datetime.fromisoformat(spec["published"]))
        if spec.get("waiting_days"):
            when = timezone.now() - timedelta(days=spec["waiting_days"])
        chain = notice.catalog_node.review_chain()
        submitted = when - timedelta(days=2, hours=len(chain))
        if spec.get("waiting_days"):  # the last approval at `when`
            submitted = when - timedelta(hours=len(chain))
        if state == "submitted":
            # Waiting at step `approved_steps` + 1, its last step taken at `when`.
            approved = spec.get("approved_steps", 0)
            submitted = when - timedelta(hours=approved)
            history.submit(people[Membership.Role.CLERK], when=submitted, chain=chain)
            for step in range(1, approved + 1):
                history.approve(people[notice.review_role], when=submitted + timedelta(hours=step))
        elif state == "returned":
            history.submit(people[Membership.Role.CLERK], when=submitted, chain=chain)
            history.return_for_changes(people[chain[0]], when=submitted + timedelta(hours=3),
                                       reason=RETURN_REASON)  # fmt: skip
        else:
            history.review(people, submitted_at=submitted, chain=chain)
        if state in ("published", "scheduled", "withdrawn"):
            _publish(history, people[Membership.Role.PUBLISHER], state, when, spec)
    notice.save()
    NoticeEvent.objects.bulk_create(history.events)


def _publish(history, publisher, state: str, when: datetime, spec: dict) -> None:
    if state == "scheduled":
        now = timezone.now()
        history.publish(publisher, when=now - timedelta(minutes=1), at=now + timedelta(days=7))
        return
    history.publish(publisher, when=when)
    if state == "withdrawn":
        history.withdraw(publisher, when=when + timedelta(days=3), reason=spec["withdraw_reason"])
