"""Cache keys: rendered fragments and derived public data are kept per script prefix.

Rendered HTML carries the script prefix of the request that rendered it in every
`{% url %}` / `reverse()` link: the county portal's /county/qinglan/ (SCRIPT_NAME,
FORCE_SCRIPT_NAME), or an organisation's /org/<slug>/. Keyed only by what their code
names, the navigation and footer (`{% cache %}` in base.html) and the notice filter form
(`portal.public.remember`) rendered by one prefixed request were served to every
unprefixed page: 8 of 40 links on / pointed into the county portal. The prefix is added
here, for those two namespaces and whatever is cached in them later, so no `{% cache %}`
tag or `remember()` name has to remember it. Whole pages are keyed by their full path
already (config.pagecache); any other key (a counter, a limit) is Django's default, so
that a prefix never splits it.
"""

from __future__ import annotations

import hashlib

from django.urls import get_script_prefix

# Django's {% cache %} keys, and portal.public's (remember(), the site profile).
PER_PREFIX = ("template.cache.", "public:")


def make_key(key: str, key_prefix: str, version: int) -> str:
    if key.startswith(PER_PREFIX):
        prefix = hashlib.md5(get_script_prefix().encode(), usedforsecurity=False).hexdigest()
        key = f"{key}:{prefix[:16]}"
    return f"{key_prefix}:{version}:{key}"
