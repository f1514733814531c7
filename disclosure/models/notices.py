"""The notice (公开信息): one disclosed item, and who may see it."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogNode, Organization

from ..sanitize import sanitize_html
from .history import NoticeHistory
from .posting import NoticePosting, office_date
from .workflow import NoticeWorkflow

# The year the 条例 came into force: no notice of the portal is published before it.
FIRST_YEAR = 2008


# --- the public rule ---------------------------------------------------------------------
# Written here once, in three spellings side by side: the queryset filter (`public_q`), the
# instance test (`Notice.is_public_at`) and the SQL of raw queries (`public_sql`, compiled
# from the filter by Django itself). tests/disclosure/test_publication.py checks that they
# agree row by row for every state; everyone else reaches them through
# disclosure.publication, the one door for publication.


def public_q(now: datetime | None) -> Q:
    """What the public may see at `now`: published, proactively disclosed, not a revision,
    its publish time reached, and not a 公示 whose posting period is over.

    - A future publish time is derived here, not by a job: the notice appears by itself
      once `published_at <= now`.
    - A 公示 leaves by itself too, at the end of `posting_ends_on` (Beijing time): the
      posting period (posting.py; an end only estimated leaves it empty, so it stays).
    - A revision is never a notice of its own: once published, its content lives on the
      notice it revised.
    - `now=None`: public now or from a set time on (what the search index holds, so that a
      scheduled notice is found from its time on without being indexed again; an ended
      posting stays indexed and is filtered at query time, as search applies
      `public_sql(now)`).
    """
    if now is None:
        return _PUBLISHED & Q(published_at__isnull=False)
    return _PUBLISHED & Q(published_at__lte=now) & posting_running_q(now)


_PUBLISHED = Q(status="published", disclosure_mode="proactive", revision_of__isnull=True)


def posting_running_q(now: datetime) -> Q:
    """Not a posting that is over at `now`: no end (not a 公示, or its end only estimated),
    or an end today or later (the office's day)."""
    return Q(posting_ends_on__isnull=True) | Q(posting_ends_on__gte=office_date(now))


def posting_ended_q(now: datetime) -> Q:
    """Public at `now` but for its posting period, which is over: the 公示 whose page is
    reduced (or gone) by its catalog node's `after_posting`."""
    return _PUBLISHED & Q(published_at__lte=now) & Q(posting_ends_on__lt=office_date(now))


def public_sql(now: datetime) -> tuple[str, list]:
    """`public_q(now)` as an SQL condition on the notice table (named by its table name,
    not an alias) with its parameters, for raw queries that join it (search)."""
    query = Notice.objects.filter(public_q(now)).query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.where)
    return sql, list(params)


class NoticeQuerySet(models.QuerySet):
    def published(self, now: datetime | None = None) -> NoticeQuerySet:
        """What the public may see now (or at `now`): `public_q`."""
        return self.filter(public_q(now or timezone.now()))

    def posting_ended(self, now: datetime | None = None) -> NoticeQuerySet:
        """公示 public but for their posting period, over at `now`: `posting_ended_q`."""
        return self.filter(posting_ended_q(now or timezone.now()))

    def withdrawn(self) -> NoticeQuerySet:
        """Withdrawn after having been public: their pages answer 410 with the reason."""
        return self.filter(
            status=Notice.Status.WITHDRAWN,
            disclosure_mode=Notice.Mode.PROACTIVE,
            revision_of__isnull=True,
            index_number__isnull=False,
        )

    def in_organizations(self, ids: set[int]) -> NoticeQuerySet:
        """Notices of these organisations. For several (a township and its departments and
        villages: a wide share of the archive) the test is written so that no index serves
        it (`+ 0`): the newest-first list index is walked instead of fetching and sorting
        every notice of the township to show twenty. One organisation uses its own index."""
        if len(ids) > 1:
            return self.alias(org_test=F("organization_id") + 0).filter(org_test__in=ids)
        return self.filter(organization_id__in=ids)

    def in_catalog_nodes(self, ids: set[int], *, wide: bool) -> NoticeQuerySet:
        """Notices in these catalog nodes; `wide` as for in_organizations (the catalog
        tree's counts tell)."""
        if wide and len(ids) > 1:
            return self.alias(node_test=F("catalog_node_id") + 0).filter(node_test__in=ids)
        return self.filter(catalog_node_id__in=ids)

    def rows(self, start: int, stop: int) -> NoticeQuerySet:
        """The list's rows [start:stop], their ids found first in a subquery on the notice
        table alone: OFFSET skips index entries, not whole notices, and the planner is not
        led astray by the list's joins (organisation, catalog node)."""
        return self.filter(pk__in=self.values("pk")[start:stop])

    def for_list(self) -> NoticeQuerySet:
        """The columns a public list shows, with the two foreign keys it names."""
        return self.select_related("catalog_node", "organization").only(
            "id",
            "title",
            "kind",
            "published_at",
            "validity",
            "document_number",
            "index_number",
            "revision_of_id",  # get_absolute_url reads it
            "catalog_node__name",
            "catalog_node__path",
            "organization__name",
            "organization__short_name",
        )


class Notice(NoticeWorkflow, NoticeHistory, NoticePosting, models.Model):
    """One disclosed item: a document, a list, a result, a table."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("In review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # What a department user may set themselves, by editing; every other
    # status is reached only through a workflow transition (workflow.py).
    USER_ALLOWED_STATUS = (Status.DRAFT, Status.RETURNED)

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        INTERPRETATION = "interpretation", _("Interpretation")
        PUBLICITY = "publicity", _("Public notice (公示)")
        ANNOUNCEMENT = "announcement", _("Announcement")
        NEWS = "news", _("Work news")
        SERVICE_GUIDE = "service_guide", _("Service guide")
        FINANCE = "finance", _("Finance")
        CONSULTATION = "consultation", _("Consultation draft")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    class Validity(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        REPEALED = "repealed", _("Repealed")

    class Mode(models.TextChoices):
        PROACTIVE = "proactive", _("Proactive disclosure")
        ON_APPLICATION = "on_application", _("Disclosed on application")
        NOT_DISCLOSED = "not_disclosed", _("Not disclosed")

    # The fields a revision carries and, once published, copies onto the original.
    CONTENT_FIELDS = (
        "title", "summary", "body", "kind", "catalog_node_id", "document_number",
        "written_date", "formed_date", "validity", "validity_changed_on", "superseded_by_id",
        "interprets_id", "posting_working_days",
    )  # fmt: skip

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"),
        max_length=500,
        blank=True,
        help_text=_("At most 500 characters; shown in lists and the catalog."),
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("Formatting is kept; scripts and styles are removed.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    catalog_node = models.ForeignKey(
        CatalogNode,
        verbose_name=_("catalog node"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("issuing organisation"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    document_number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("E.g. 白政发〔2026〕12号.")
    )
    written_date = models.DateField(_("written date"), null=True, blank=True)
    formed_date = models.DateField(
        _("formed date"),
        null=True,
        blank=True,
        help_text=_(
            "The day the information was formed or changed; the 20 working days start here."
        ),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("The public sees the notice from this time on."),
    )
    index_number = models.CharField(
        _("index number"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    validity = models.CharField(
        _("validity"), max_length=20, choices=Validity.choices, default=Validity.IN_FORCE
    )
    validity_changed_on = models.DateField(_("date repealed or expired"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
        db_index=False,  # a partial index below
    )
    disclosure_mode = models.CharField(
        _("disclosure attribute"), max_length=20, choices=Mode.choices, default=Mode.PROACTIVE
    )
    non_disclosure_reason = models.TextField(
        _("legal reason for not disclosing proactively"),
        blank=True,
        help_text=_("Required unless the notice is proactively disclosed, e.g. 《条例》第十五条."),
    )
    interprets = models.ForeignKey(
        "self",
        verbose_name=_("interprets"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
        db_index=False,  # a partial index below
        help_text=_("For an interpretation: the policy document it explains."),
    )
    # The posting period of a 公示 (posting.py): its length is content, its end is derived
    # when it is published.
    posting_working_days = models.PositiveSmallIntegerField(
        _("posting period (working days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=_(
            "For 公示: working days it stays public, from the day after publication. Empty: "
            "the catalog node's period, fixed when you submit."
        ),
    )
    posting_ends_on = models.DateField(
        _("posting ends on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("For 公示: the last day of posting, counted in working days when published."),
    )
    posting_end_estimate = models.DateField(
        _("estimated end of posting"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Counted Monday to Friday where a year's working-day calendar is missing: the "
            "notice stays public until the calendar is entered and gives the real end."
        ),
    )
    views = models.PositiveIntegerField(_("views"), default=0, editable=False)

    # --- the workflow's own fields: set by transitions only -----------------------
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    review_chain = models.JSONField(
        _("review chain"), default=list, blank=True, editable=False,
        help_text=_("The roles that review this submission, fixed when it is submitted."),
    )  # fmt: skip
    review_step = models.PositiveSmallIntegerField(_("review step"), default=0, editable=False)
    # The role of the current step, kept beside the chain so that "waiting for
    # my review" is one indexed query on every database.
    review_role = models.CharField(_("reviewing role"), max_length=20, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", editable=False,
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    confidentiality_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confidentiality review by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+", editable=False,
    )  # fmt: skip
    confidentiality_reviewed_at = models.DateTimeField(
        _("confidentiality review at"), null=True, blank=True, editable=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    revision_of = models.ForeignKey(
        "self", verbose_name=_("revision of"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="revisions", editable=False, db_index=False,  # a partial index below
    )  # fmt: skip

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The public lists: newest first, by catalog node or organisation. `revision_of`
            # is in the public rule (IS NULL), so the list and its count read only this index.
            # `posting_ends_on` is in the public rule too, compared with the day at query
            # time (no index can hold that answer): the last column of each, so the rule is
            # still read from the index alone.
            models.Index(
                fields=[
                    "status",
                    "disclosure_mode",
                    "revision_of",
                    "published_at",
                    "id",
                    "posting_ends_on",
                ],
                name="notice_public_list_posting",
            ),
            # Per node and per organisation, the public rule inside the index: a node's list
            # reads it newest first, and the catalog's counts (site-wide, or for one
            # township's organisations) read nothing else.
            models.Index(
                fields=[
                    "catalog_node",
                    "status",
                    "disclosure_mode",
                    "revision_of",
                    "published_at",
                    "posting_ends_on",
                ],
                name="notice_node_public_posting",
            ),
            models.Index(
                fields=[
                    "organization",
                    "status",
                    "disclosure_mode",
                    "revision_of",
                    "published_at",
                    "catalog_node",
                    "posting_ends_on",
                ],
                name="notice_org_public_posting",
            ),
            # The staff to-do lists: what waits for which role, per organisation.
            models.Index(fields=["status", "review_role", "organization"], name="notice_queue"),
            # Links between notices are rare: index only the rows that have one. A full
            # index of a column that is NULL in nearly every row also misleads SQLite's
            # planner once ANALYZE has run (it estimates every lookup to match all rows).
            *(
                models.Index(
                    fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"notice_{name}"
                )
                for name in ("revision_of", "superseded_by", "interprets")
            ),  # fmt: skip
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="notice_published_has_time",
            ),
            # A revision borrows its original's index number when it is published.
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(index_number__isnull=False)
                | Q(revision_of__isnull=False),
                name="notice_published_has_index_number",
            ),
            # 保密审查: nothing is approved, let alone published, without it.
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "published"])
                | Q(confidentiality_reviewed_at__isnull=False),
                name="notice_approved_has_confidentiality_review",
            ),
            models.CheckConstraint(
                condition=Q(disclosure_mode="proactive") | ~Q(non_disclosure_reason=""),
                name="notice_withheld_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(written_date__isnull=True)
                | Q(formed_date__isnull=True)
                | Q(formed_date__gte=F("written_date")),
                name="notice_formed_not_before_written",
            ),
            # One revision at a time per published notice.
            models.UniqueConstraint(
                fields=["revision_of"],
                condition=Q(revision_of__isnull=False) & ~Q(status__in=["published", "withdrawn"]),
                name="notice_one_open_revision",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Normalising our own field, not a side effect: nothing unsanitised is
        # ever stored, whichever way the notice was written.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("notice-detail", args=[self.revision_of_id or self.pk])

    def is_published(self, now: datetime | None = None) -> bool:
        """`public_q(now or timezone.now())` for this one notice, without a query."""
        return self.is_public_at(now or timezone.now())

    def is_public_at(self, now: datetime | None) -> bool:
        """`public_q(now)`, in Python; `now=None` as there: public now or from a set time on."""
        return (
            self.status == self.Status.PUBLISHED
            and self.disclosure_mode == self.Mode.PROACTIVE
            and self.revision_of_id is None
            and self.published_at is not None
            and (now is None or (self.published_at <= now and not self.posting_has_ended(now)))
        )

    is_published.boolean = True  # type: ignore[attr-defined]
    is_published.short_description = _("public")  # type: ignore[attr-defined]

    def is_scheduled(self, now: datetime | None = None) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > (now or timezone.now())
        )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.disclosure_mode != self.Mode.PROACTIVE and not self.non_disclosure_reason.strip():
            errors["non_disclosure_reason"] = _(
                "Give the legal reason why this notice is not proactively disclosed."
            )
        if self.written_date and self.formed_date and self.formed_date < self.written_date:
            errors["formed_date"] = _("The formed date cannot be before the written date.")
        if self.validity != self.Validity.IN_FORCE and not self.validity_changed_on:
            errors["validity_changed_on"] = _("Give the date the document was repealed or expired.")
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            errors["superseded_by"] = _("A notice cannot replace itself.")
        if self.interprets_id and self.interprets_id == self.pk:
            errors["interprets"] = _("A notice cannot interpret itself.")
        if self.kind == self.Kind.INTERPRETATION and not self.interprets_id:
            errors["interprets"] = _("An interpretation must name the policy document it explains.")
        if self.posting_working_days and not self.is_posting():
            errors["posting_working_days"] = _(
                "Only a 公示 has a posting period: leave it empty, or choose the kind 公示."
            )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def count_view(cls, pk: int, n: int = 1) -> None:
        cls.objects.filter(pk=pk).update(views=F("views") + n)
