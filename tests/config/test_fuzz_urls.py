"""Every public URL, with hostile values in each path segment and in every GET parameter
the view reads: no response is a 500, on SQLite and on PostgreSQL.

- The URLs come from walking config.urls' resolver (everything but /admin/), so a URL
  added later is fuzzed without being listed here.
- The parameters come from what each view reads: one probe request records every name
  asked of a QueryDict; a few common ones are added in case a view reads them only on
  some branch.
- Values: ids past 2**63 - 1, negative, zero, NUL, bytes that are not UTF-8, full-text
  syntax (`"a" OR NEAR(`, `*`, `^`), SQL quotes, 10,000 characters.
- NUL and invalid UTF-8 in a query string are answered 400 (config.middleware); anything
  else may be 200, 302, 400 or 404, as long as it is not a server error.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from urllib.parse import quote_from_bytes, urlencode

from django.db import transaction
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.datastructures import MultiValueDict

from disclosure.sitemaps import SITEMAPS
from tests import factories
from tests.base import BaseTestCase

HOSTILE: dict[str, str | bytes] = {
    "2**63": str(2**63),
    "2**64": str(2**64),
    "40 digits": "9" * 40,
    "negative": "-1",
    "zero": "0",
    "leading zeros": "007",
    "float overflow": "1e309",
    "NUL": "a\x00b",
    "invalid UTF-8": b"\xff",
    "overlong UTF-8": b"\xc0\xaf",
    "FTS phrase and NEAR": '"a" OR NEAR(',
    "FTS star": "*",
    "FTS caret": "^",
    "FTS column filter": "title:低保 AND -",
    "single quote": "'",
    "SQL injection": "' OR '1'='1' --",
    "double quote": '"',
    "backslash and percent": "\\%_",
    "10,000 characters": "a" * 10_000,
    "10,000 Chinese characters": "低保" * 5_000,
    "RTL override": "\u202e低保",
    "bad date": "2026-13-45",
    "brackets": "[]{}()<>",
}
UNREADABLE = {"NUL", "invalid UTF-8", "overlong UTF-8"}
# Read by some views only on some branches (a page number once there are results).
COMMON_PARAMETERS = {"q", "page", "page_size", "sort", "catalog", "organization", "year"}
# What a view needs in the query string before it reads the rest.
BASE_QUERY = {"search": {"q": "低保"}, "application-suggest": {"q": "低保 名单"}}
SENTINEL = {"id": 987654321, "text": "zzsentinelzz"}


def encoded(value: str | bytes) -> str:
    return quote_from_bytes(value if isinstance(value, bytes) else value.encode(), safe="")


def public_patterns(patterns=None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.lstrip("^").startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            yield from public_patterns(entry.url_patterns, route)
        else:
            yield route, entry


@contextmanager
def recording_reads() -> Iterator[set[str]]:
    """Names asked of any QueryDict (request.GET, forms and filters bound to it)."""
    names: set[str] = set()
    originals = {name: getattr(MultiValueDict, name) for name in ("get", "getlist", "__getitem__")}

    def recorder(original):
        def read(self, key, *args, **kwargs):
            if isinstance(self, QueryDict):  # not the resolver's own MultiValueDicts
                names.add(key)
            return original(self, key, *args, **kwargs)

        return read

    with mock.patch.multiple(MultiValueDict, **{n: recorder(f) for n, f in originals.items()}):
        yield names


class PublicUrlFuzzTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.notice = factories.notice(cls.civil, title="关于2026年低保对象名单的公示",
                                      catalog="news/highlights")  # fmt: skip
        cls.attachment = factories.attachment(cls.notice, name="名单.pdf")
        factories.notice(cls.finance, title="2026年预算公开", catalog="finance/budget")

    def valid(self, name: str) -> object:
        return {
            "pk": self.notice.pk,
            "attachment_pk": self.attachment.pk,
            "path": "news/highlights",
            "slug": "qinglan",
            "section": next(iter(SITEMAPS)),
        }[name]

    def urls(self) -> Iterator[tuple[str, str, list[str]]]:
        """(name, URL with valid values, [URL with a sentinel in one segment, ...])."""
        for _route, pattern in public_patterns():
            names = list(pattern.pattern.regex.groupindex)
            base = reverse(pattern.name, kwargs={n: self.valid(n) for n in names})
            variants = []
            for name in names:
                sentinel = SENTINEL["id" if isinstance(self.valid(name), int) else "text"]
                kwargs = {n: sentinel if n == name else self.valid(n) for n in names}
                variants.append(reverse(pattern.name, kwargs=kwargs).replace(str(sentinel), "{}"))
            yield pattern.name, base, variants

    def fetch(self, url: str, failures: list[str]):
        try:
            with transaction.atomic():  # a failed query must not spoil the next on PostgreSQL
                response = self.client.get(url)
        except Exception:
            lines = traceback.format_exc().strip().splitlines()
            failures.append(f"{url[:200]}\n    " + "\n    ".join(lines[-4:]))
            return None
        if response.status_code >= 500:
            failures.append(f"{url[:200]} -> {response.status_code}")
        return response

    def test_no_public_url_answers_500(self) -> None:
        failures: list[str] = []
        unreadable_not_400: list[str] = []
        count = 0
        for name, base, variants in self.urls():
            query = BASE_QUERY.get(name, {})
            with recording_reads() as read:  # a parameter nobody reads binds `GET or None` forms
                self.fetch(f"{base}?{urlencode({**query, 'unread': '1'})}", failures)
            parameters = sorted((read | COMMON_PARAMETERS) - {"csrfmiddlewaretoken"})
            for label, value in HOSTILE.items():
                urls = [variant.format(encoded(value)) for variant in variants]
                for parameter in parameters:
                    others = urlencode({k: v for k, v in query.items() if k != parameter})
                    urls.append(f"{base}?{others}&{parameter}={encoded(value)}")
                urls.append(f"{base}?" + "&".join(f"{p}={encoded(value)}" for p in parameters))
                for url in urls:
                    count += 1
                    response = self.fetch(url, failures)
                    in_query = "?" in url and encoded(value) in url.split("?", 1)[1]
                    if (
                        response
                        and label in UNREADABLE
                        and in_query
                        and response.status_code != 400
                    ):
                        unreadable_not_400.append(f"{url[:120]} -> {response.status_code}")
        self.assertGreater(count, 2000)
        self.assertEqual(failures, [], "\n" + "\n".join(failures[:40]))
        self.assertEqual(unreadable_not_400, [])

    def test_the_organisation_scope_segment_too(self) -> None:
        failures: list[str] = []
        for label, value in HOSTILE.items():
            for rest in ("", "notices/", "search/?q=低保", "feeds/notices/rss/"):
                with self.subTest(label=label, rest=rest):
                    response = self.fetch(f"/org/{encoded(value)}/{rest}", failures)
                    if response is not None:
                        self.assertIn(response.status_code, (200, 400, 404))
        self.assertEqual(failures, [])

    def test_the_parameters_of_the_lists_and_the_search_are_found(self) -> None:
        for url, expected in (
            ("/notices/?unread=1", {"q", "catalog", "organization", "kind", "year", "validity"}),
            ("/search/?q=低保", {"q", "catalog", "organization", "kind", "year", "sort", "page"}),
            ("/api/notices/?unread=1", {"catalog", "organization", "page", "page_size"}),
        ):
            with self.subTest(url=url), recording_reads() as read:
                self.client.get(url)
                self.assertLessEqual(expected, read)

    def test_every_public_pattern_is_walked(self) -> None:
        """The walk reaches every kind of public URL (a change in config.urls is noticed)."""
        names = {name for name, _base, _variants in self.urls()}
        self.assertLessEqual(
            {"home", "search", "notice-list", "notice-detail", "notice-attachment",
             "catalog-node", "feed-org-rss", "api-notices", "api-notice",
             "application-suggest", "application-file", "sitemap-index"},
            names,
        )  # fmt: skip
        self.assertFalse({n for n in names if n and n.startswith("audit")})
