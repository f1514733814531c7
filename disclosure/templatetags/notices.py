"""`{% notice_rows notices %}`: the list of notices that home, list and catalog pages share.

Written in Python rather than as an included template: a list page shows twenty rows, and
per row the template engine's {% url %} and |date cost more than the whole SQL of the page.
Here the URL is reversed once per list and the time formatted directly; every value is
escaped by format_html.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

_SENTINEL = 987654321


def notice_url_maker():
    """A function pk -> the notice's public URL (in the page's scope), reversing only once."""
    pattern = reverse("notice-detail", args=[_SENTINEL])
    before, _sep, after = pattern.partition(str(_SENTINEL))
    return lambda pk: f"{before}{pk}{after}"


def _row(url, notice) -> SafeString:
    published = timezone.localtime(notice.published_at)
    badge = ""
    if notice.validity != "in_force":
        badge = format_html(
            '<span class="badge badge-{}">{}</span>',
            notice.validity,
            notice.get_validity_display(),
        )
    return format_html(
        '  <li>\n    <a href="{}">{}</a>\n    <span class="meta">\n'
        '      <time datetime="{}">{}</time>\n      <span>{}</span>\n      <span>{}</span>\n'
        "      {}\n    </span>\n  </li>\n",
        url(notice.pk),
        notice.title,
        published.isoformat(),
        published.strftime("%Y-%m-%d %H:%M"),
        notice.organization.label,
        notice.catalog_node.name,
        badge,
    )


@register.simple_tag
def notice_rows(notices) -> SafeString:
    """<ul class="notice-list"> of `notices` (with organization and catalog_node loaded)."""
    url = notice_url_maker()
    rows = [_row(url, notice) for notice in notices]
    if not rows:
        return format_html(
            '<ul class="notice-list">\n  <li class="empty">{}</li>\n</ul>',
            _("No notices here yet."),
        )
    return format_html(
        '<ul class="notice-list">\n{}</ul>', format_html_join("", "{}", ((r,) for r in rows))
    )
