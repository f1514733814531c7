"""Organisations, the people who hold roles in them, and the disclosure catalog.

This app knows no other app of ours: `disclosure` points at it, never back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# What settings.POSTING_WORKING_DAYS and settings.POSTING_AFTER_END default to where an
# installation does not set them: 公示 7 working days (regulation.md §7 item 34, the 低保
# rule), then a summary page that keeps no personal data.
DEFAULT_POSTING_WORKING_DAYS = 7
DEFAULT_POSTING_AFTER_END = "summary"


class Organization(models.Model):
    """A node of the organisation tree: county → township → department / village / community."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        DEPARTMENT = "department", _("Department")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(
        _("short name"),
        max_length=30,
        blank=True,
        help_text=_("Shown in lists, e.g. 民政办. Leave empty to use the full name."),
    )
    slug = models.SlugField(
        _("address name"),
        max_length=50,
        unique=True,
        help_text=_("Latin letters, digits and hyphens; used in the public address /org/<name>/."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_(
            "18 characters. Index numbers of notices use the code of the organisation "
            "or, where it has none, of the nearest organisation above it."
        ),
    )
    address = models.CharField(_("office address"), max_length=200, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    head_name = models.CharField(_("person in charge"), max_length=50, blank=True)
    functions = models.TextField(_("functions"), blank=True)
    disclosure_office = models.ForeignKey(
        "self",
        verbose_name=_("disclosure office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "For a township or county: the office that handles disclosure (usually 党政办). "
            "Its address, hours, telephone, fax and e-mail appear in the disclosure guide "
            "and must all be filled in."
        ),
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["position", "id"]
        constraints = [
            # Two organisations may share a parent's code (departments have none
            # of their own), but no two may claim the same code for themselves.
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="organization_credit_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    GUIDE_CONTACT_FIELDS = ("address", "office_hours", "phone", "fax", "email")

    def missing_guide_fields(self) -> list[str]:
        """Names of the contact fields the disclosure guide needs but this office lacks."""
        return [
            str(self._meta.get_field(f).verbose_name)
            for f in self.GUIDE_CONTACT_FIELDS
            if not getattr(self, f)
        ]

    def clean(self) -> None:
        super().clean()
        if self.credit_code and len(self.credit_code) != 18:
            raise ValidationError(
                {"credit_code": _("A unified social credit code has exactly 18 characters.")}
            )
        if (
            self.pk
            and self.parent_id
            and self.pk in {a.pk for a in self.parent.ancestors(include_self=True)}
        ):
            raise ValidationError({"parent": _("An organisation cannot be placed under itself.")})
        if self.disclosure_office_id:
            missing = self.disclosure_office.missing_guide_fields()
            if missing:
                raise ValidationError(
                    {
                        "disclosure_office": _(
                            "The disclosure guide needs the office's %(fields)s; "
                            "fill them in on that office first."
                        )
                        % {"fields": "、".join(missing)}
                    }
                )
        if self.pk and self.is_disclosure_office():
            missing = self.missing_guide_fields()
            if missing:
                raise ValidationError(
                    _(
                        "This is the disclosure office named in the guide; "
                        "%(fields)s cannot be empty."
                    )
                    % {"fields": "、".join(missing)}
                )

    def is_disclosure_office(self) -> bool:
        return Organization.objects.filter(disclosure_office=self).exists()

    def ancestors(self, include_self: bool = False) -> list[Organization]:
        """From the root down to the parent (or to self)."""
        chain: list[Organization] = [self] if include_self else []
        node = self.parent
        seen = {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return list(reversed(chain))

    def township(self) -> Organization | None:
        """The township (or, above it, the county) this organisation belongs to."""
        for org in reversed(self.ancestors(include_self=True)):
            if org.kind in (self.Kind.TOWNSHIP, self.Kind.COUNTY):
                return org
        return None

    def index_credit_code(self) -> str:
        for org in reversed(self.ancestors(include_self=True)):
            if org.credit_code:
                return org.credit_code
        return ""


def descendant_ids(
    roots: Iterable[int], parent_pairs: Iterable[tuple[int, int | None]]
) -> set[int]:
    """Ids of `roots` and everything below them, from (id, parent_id) pairs.

    Both trees here (organisations and catalog nodes) are small (tens to a few
    thousand rows), so one query for all pairs beats a recursive CTE in clarity.
    """
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in parent_pairs:
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(roots)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, ()))
    return found


def organization_subtree_ids(org: Organization) -> set[int]:
    return descendant_ids([org.pk], Organization.objects.values_list("id", "parent_id"))


class Membership(models.Model):
    """A person holding a role in an organisation. Roles are data, not superuser flags."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("Clerk")
        LEADER = "leader", _("Supervising leader")
        PUBLISHER = "publisher", _("Publisher")
        SUPERVISOR = "supervisor", _("Supervision group")
        LEADERSHIP = "leadership", _("Leadership group")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(
        _("post"), max_length=50, blank=True, help_text=_("E.g. 副镇长, 民政办主任.")
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization.label} · {self.get_role_display()}"

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER


class Channel(models.Model):
    """One of the fixed disclosure channels of a standard catalog entry (公开渠道和载体)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("disclosure channel")
        verbose_name_plural = _("disclosure channels")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class CatalogNode(models.Model):
    """A node of the disclosure catalog (公开目录), optionally with a standard-catalog duty."""

    class Audience(models.TextChoices):
        PUBLIC = "public", _("The whole public")
        GROUP = "group", _("A specific group")

    class Mode(models.TextChoices):
        PROACTIVE = "proactive", _("Proactive")
        ON_APPLICATION = "on_application", _("On application")

    class Level(models.TextChoices):
        COUNTY = "county", _("County level")
        TOWNSHIP = "township", _("Township level")
        VILLAGE = "village", _("Village level")

    class AfterPosting(models.TextChoices):
        # What a 公示's page shows once its posting period is over (it leaves every list,
        # search, feed and count either way).
        SUMMARY = "summary", _("A summary page: title, organisation and dates")
        WITHDRAWN = "withdrawn", _("No page: gone, like a withdrawn notice")

    class Refresh(models.TextChoices):
        STANDING = "standing", _("Standing")
        PERIODIC = "periodic", _("Periodic")
        AD_HOC = "ad_hoc", _("Ad hoc")

    class ColumnType(models.TextChoices):
        # Values of the ColumnType meta tag (政府网站发展指引).
        OVERVIEW = "概况信息", "概况信息"
        FUNCTIONS = "机构职能", "机构职能"
        LEADERS = "负责人信息", "负责人信息"
        NEWS = "工作动态", "工作动态"
        POLICY = "政策文件", "政策文件"
        INTERPRETATION = "政策解读", "政策解读"
        CATALOG = "信息公开目录", "信息公开目录"
        ANNUAL_REPORT = "信息公开年报", "信息公开年报"
        DATA = "数据发布", "数据发布"
        SERVICE = "办事服务", "办事服务"
        SURVEY = "征集调查", "征集调查"
        RESPONSE = "回应关切", "回应关切"

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent node"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("address name"),
        max_length=50,
        help_text=_("Latin letters, digits and hyphens; part of the public address."),
    )
    path = models.CharField(
        _("address"),
        max_length=255,
        unique=True,
        editable=False,
        help_text=_("E.g. finance/budget."),
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    column_type = models.CharField(
        _("column type"), max_length=20, choices=ColumnType.choices, default=ColumnType.CATALOG
    )

    # The standard-catalog duty (基层政务公开标准目录): all optional, so that a
    # plain grouping node carries none.
    legal_basis = models.TextField(_("legal basis"), blank=True)
    content_elements = models.TextField(_("content to disclose"), blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"),
        null=True,
        blank=True,
        help_text=_("Working days from the day the information is formed or changed."),
    )
    responsible = models.ForeignKey(
        Organization,
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="catalog_duties",
    )
    channels = models.ManyToManyField(Channel, verbose_name=_("channels"), blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, blank=True)
    mode = models.CharField(_("disclosure mode"), max_length=20, choices=Mode.choices, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    refresh = models.CharField(_("refresh"), max_length=20, choices=Refresh.choices, blank=True)
    refresh_days = models.PositiveSmallIntegerField(
        _("refresh period (days)"),
        null=True,
        blank=True,
        help_text=_("For periodic items: the longest gap allowed between two notices."),
    )

    # The review chain: the submitting organisation's supervising leader always
    # reviews first; these add the supervision group and/or the leadership
    # group. Empty means "as the parent node" (so 财务收支 sets it once for
    # all its children); the top of the tree defaults to no.
    needs_supervision = models.BooleanField(
        _("supervision group co-signs"),
        null=True,
        blank=True,
        help_text=_("Empty: as the parent node. Finance items are co-signed by default."),
    )
    needs_leadership = models.BooleanField(
        _("leadership group approves"),
        null=True,
        blank=True,
        help_text=_("Empty: as the parent node. Major decisions need it by default."),
    )

    # 公示 filed here: how long they stay posted and what is left of them afterwards.
    # Empty means "as the parent node", and at the top the site's settings.
    posting_working_days = models.PositiveSmallIntegerField(
        _("posting period (working days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=_(
            "For 公示 filed here: working days they stay public, from the day after "
            "publication. Empty: as the parent node, else the site's default (7 unless "
            "configured)."
        ),
    )
    after_posting = models.CharField(
        _("after the posting period"),
        max_length=10,
        choices=AfterPosting.choices,
        blank=True,
        help_text=_(
            "What the page of an ended 公示 shows. Empty: as the parent node, else the site's "
            "default (a summary page unless configured)."
        ),
    )

    class Meta:
        verbose_name = _("catalog node")
        verbose_name_plural = _("catalog")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="catalognode_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        self.path = self.computed_path()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Moving or renaming a node moves its whole subtree's addresses.
                for child in self.children.all():
                    child.save()

    def get_absolute_url(self) -> str:
        return reverse("catalog-node", args=[self.path])

    def _inherited(self, field: str) -> bool:
        node: CatalogNode | None = self
        while node is not None:
            value = getattr(node, field)
            if value is not None:
                return value
            node = node.parent
        return False

    def _inherited_value(self, field: str):
        """The field's value here or at the nearest ancestor that sets it; None if none."""
        node: CatalogNode | None = self
        while node is not None:
            value = getattr(node, field)
            if value not in (None, ""):
                return value
            node = node.parent
        return None

    def posting_period(self) -> int | None:
        """Working days a 公示 filed here stays posted: this node's, an ancestor's, or
        settings.POSTING_WORKING_DAYS (None there: every node must say)."""
        days = self._inherited_value("posting_working_days")
        if days is None:
            days = getattr(settings, "POSTING_WORKING_DAYS", DEFAULT_POSTING_WORKING_DAYS)
        return days or None

    def after_posting_mode(self) -> str:
        """`AfterPosting` of an ended 公示 filed here: this node's, an ancestor's, or
        settings.POSTING_AFTER_END."""
        mode = self._inherited_value("after_posting")
        if mode is None:
            mode = getattr(settings, "POSTING_AFTER_END", DEFAULT_POSTING_AFTER_END)
        return mode if mode in self.AfterPosting.values else self.AfterPosting.SUMMARY

    def review_chain(self) -> list[str]:
        """The roles that review a notice filed here, in order."""
        chain = [Membership.Role.LEADER.value]
        if self._inherited("needs_supervision"):
            chain.append(Membership.Role.SUPERVISOR.value)
        if self._inherited("needs_leadership"):
            chain.append(Membership.Role.LEADERSHIP.value)
        return chain

    @property
    def depth(self) -> int:
        return self.path.count("/")

    @property
    def has_duty(self) -> bool:
        return bool(self.legal_basis or self.deadline_working_days or self.content_elements)

    def computed_path(self) -> str:
        return f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug

    def clean(self) -> None:
        super().clean()
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError({"parent": _("A node cannot be placed under itself.")})
            node = node.parent


def format_index_number(*, credit_code: str, year: int, serial: int) -> str:
    """The index number (索引号) of one serial: the installation's INDEX_NUMBER_PATTERN."""
    return settings.INDEX_NUMBER_PATTERN.format(credit_code=credit_code, year=year, serial=serial)


class IndexSequence(models.Model):
    """The last serial used for index numbers per code and year. Never goes down."""

    credit_code = models.CharField(max_length=18)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("index number sequence")
        verbose_name_plural = _("index number sequences")
        constraints = [
            models.UniqueConstraint(fields=["credit_code", "year"], name="indexsequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.credit_code}/{self.year}: {self.last_serial}"

    @classmethod
    def next_index_number(cls, *, organization: Organization, year: int) -> str:
        """Take the next serial for the organisation's code and year and format it.

        - Must run inside the caller's transaction: the sequence row is locked
          (select_for_update on PostgreSQL; the IMMEDIATE write lock on SQLite),
          so two publications never take the same serial.
        - A serial once taken is never handed out again, even if the caller's
          notice is later withdrawn.
        """
        code = cls._credit_code(organization)
        return format_index_number(credit_code=code, year=year, serial=cls._take(code, year, 1))

    @classmethod
    def index_numbers(cls, wanted: Iterable[tuple[Organization, int]]) -> list[str]:
        """The numbers `next_index_number` would give, called once per (organisation, year)
        in this order: for a bulk load (the bench generator).

        - One locked update per code and year, however many numbers it takes from it;
          inside the caller's transaction, as next_index_number.
        - The rows are locked in one order (code, year), so two bulk loads cannot deadlock.
        """
        codes: dict[int, str] = {}
        keys = []
        for organization, year in wanted:
            if organization.pk not in codes:
                codes[organization.pk] = cls._credit_code(organization)
            keys.append((codes[organization.pk], year))
        counts: dict[tuple[str, int], int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        # Each key's block is the next counts[key] serials: `serial` starts just before it.
        serial = {key: cls._take(*key, n) - n for key, n in sorted(counts.items())}
        numbers = []
        for key in keys:
            serial[key] += 1
            numbers.append(format_index_number(credit_code=key[0], year=key[1], serial=serial[key]))
        return numbers

    @staticmethod
    def _credit_code(organization: Organization) -> str:
        code = organization.index_credit_code()
        if not code:
            raise ValidationError(
                _("%(org)s and the organisations above it have no unified social credit code.")
                % {"org": organization.name}
            )
        return code

    @classmethod
    def _take(cls, code: str, year: int, count: int) -> int:
        """Take `count` serials of the row, locked; returns the last one taken."""
        seq, _created = cls.objects.select_for_update().get_or_create(credit_code=code, year=year)
        cls.objects.filter(pk=seq.pk).update(last_serial=F("last_serial") + count)
        seq.refresh_from_db(fields=["last_serial"])
        return seq.last_serial
