"""Site-wide models: the site profile (what the footer, meta tags and guide say)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Organization


class SiteProfile(models.Model):
    """The one row that describes this installation. Edited by the office in the admin."""

    name = models.CharField(_("site name"), max_length=100)
    domain = models.CharField(
        _("site domain"), max_length=100, blank=True, help_text=_("E.g. www.yunxi.gov.cn.")
    )
    site_id_code = models.CharField(
        _("site identification code"), max_length=20, blank=True, help_text=_("网站标识码.")
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation the site is about"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A township, or the county when one site serves several townships."),
    )
    organiser = models.CharField(_("organiser"), max_length=100, help_text=_("主办单位."))
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    icp_number = models.CharField(_("ICP record number"), max_length=50, blank=True)
    police_record_number = models.CharField(
        _("public security record number"), max_length=50, blank=True
    )
    government_mark_url = models.URLField(
        _("government website mark link"),
        blank=True,
        help_text=_(
            "党政机关网站标识: the address of the site's registration page, from the "
            "registration certificate. The footer shows the mark linking to it."
        ),
    )
    fee_payment = models.TextField(
        _("how to pay processing fees"),
        blank=True,
        help_text=_(
            "Printed on every fee notice: the account name, bank and account number, or where "
            "and when to pay in person."
        ),
    )
    guide_classification = models.TextField(
        _("how information is classified and arranged"),
        help_text=_("Guide section: the classification system and how notices are arranged."),
    )
    guide_how_to_obtain = models.TextField(
        _("how to obtain information"),
        help_text=_("Guide section: where and how residents read, search and download."),
    )
    guide_application = models.TextField(
        _("how to apply"),
        help_text=_("Guide section: applying for information that is not published."),
    )
    guide_remedies = models.TextField(
        _("supervision and remedies"),
        blank=True,
        help_text=_("Guide section: complaints, administrative reconsideration and litigation."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profile")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> SiteProfile | None:
        return cls.objects.select_related("organization").order_by("pk").first()


class CalendarYear(models.Model):
    """A year whose working-day calendar the office has entered and confirmed.

    Deadlines are counted only inside years listed here: a year missing from this table is
    flagged to the office (portal.workdays.CalendarMissing), never guessed as plain Mon–Fri.
    """

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_(
            "Deadlines are counted only in years listed here. Add a year once the State "
            "Council notice for it is out, then enter its holidays and adjusted working days."
        ),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Where the days come from, e.g. the notice number, or local changes."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("working-day calendar year")
        verbose_name_plural = _("working-day calendar")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the usual week: a weekday off, or a weekend day worked (调休).

    Ordinary Saturdays and Sundays are days off without a row here.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday (weekday off)")
        WORKDAY = "workday", _("adjusted working day (weekend day worked)")

    date = models.DateField(
        _("date"),
        unique=True,
        help_text=_("Only days that differ from the usual Monday-to-Friday week."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("name"),
        max_length=50,
        help_text=_("E.g. Spring Festival, National Day, or a local holiday."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        constraints = [
            # The weekday rules live in clean(): a CHECK on the weekday needs a date function
            # that SQLite only has inside Django's own connections.
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]),
                name="calendarday_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    def clean(self) -> None:
        """- A workday (调休) falls on Saturday or Sunday; a holiday on Monday to Friday.
        - Its year is already in CalendarYear, so no one edits a calendar nobody confirmed.
        """
        super().clean()
        if self.date is None:
            return
        if self.kind == self.Kind.WORKDAY and not self.is_weekend:
            raise ValidationError(
                {"date": _("An adjusted working day must fall on a Saturday or Sunday.")}
            )
        if self.kind == self.Kind.HOLIDAY and self.is_weekend:
            raise ValidationError(
                {
                    "date": _(
                        "Enter holidays only on weekdays (Monday to Friday): weekends are "
                        "days off already."
                    )
                }
            )
        if not CalendarYear.objects.filter(year=self.date.year).exists():
            raise ValidationError(
                {
                    "date": _("The calendar of %(year)d has not been entered: add the year first.")
                    % {"year": self.date.year}
                }
            )


class PublicVersion(models.Model):
    """One row: a number that changes whenever what the public sees changes.

    Cached public pages are keyed by it, so publishing, revising or withdrawing
    (which bump it) makes every worker on every host stop serving the old pages
    at once. `next_change_at` is the next scheduled publication: once it has
    passed, the first request bumps the number, so a notice published "later"
    appears in cached lists on time without any job.
    """

    version = models.PositiveBigIntegerField(default=1)
    next_change_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("public content version")
        verbose_name_plural = _("public content version")

    def __str__(self) -> str:
        return str(self.version)
