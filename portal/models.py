"""Site-wide models: the site profile (what the footer, meta tags and guide say)."""

from __future__ import annotations

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
