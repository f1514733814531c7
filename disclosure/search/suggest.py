"""Did you mean: a near query for a search that found nothing (底保 → 低保, dibao → 低保).

- Only the query's words that no public notice (in the page's scope and facets) holds
  are replaced; a query whose words are each found, but never together, gets no
  suggestion (the page offers its single words instead).
- A replacement is a word of a catalog node's name (低保 in 低保、五保与救助) or of
  jieba's dictionary that the index holds, near the typed one: the same sound with
  another character (底保: 低保, `pinyin.same_sound`), a near sound (改照: 改造,
  `pinyin.near_sound`), one character more, less or other (a node word only), or the
  characters of typed pinyin (dibao: 低保). The index decides among them: the nearest
  kind of replacement first, then the one whose corrected query finds the most notices
  (counted up to COUNT_LIMIT), so a word the index does not hold is never offered.
- Three short SQL queries, made only when a search found nothing, and remembered per
  public version like the search itself: the catalog node names, whether each word is
  found, and the count of each corrected query. Each count stops at COUNT_LIMIT
  matches and at most MAX_CANDIDATES are counted, so the cost is bounded, not the site's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime

import rjieba

from django.db import connection
from django.utils import timezone

from catalog.models import CatalogNode

from ..models import Notice
from . import pinyin
from .backends import TABLE, _backend
from .query import SearchFilters, _narrowing, _public_where
from .words import QueryWord, query_words

MAX_CANDIDATES = 24  # corrected queries counted, in all
COUNT_LIMIT = 20  # a corrected query's matches are counted up to this
SAME_SOUND, NEAR_SOUND, NEAR_SPELLING = 3, 2, 1  # how near a replacement is, nearest first


def _is_chinese(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in text)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance: characters inserted, deleted or replaced."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _sound_nearness(typed: str, other: str) -> int:
    """SAME_SOUND or NEAR_SOUND when the words differ only in characters of the same or
    a near sound, else NEAR_SPELLING; 0 when their lengths differ."""
    if len(typed) != len(other):
        return 0
    nearness = SAME_SOUND
    for a, b in zip(typed, other, strict=True):
        if a == b or pinyin.same_sound(a, b):
            continue
        if pinyin.near_sound(a, b):
            nearness = min(nearness, NEAR_SOUND)
        else:
            return NEAR_SPELLING
    return nearness


def node_words(names: Iterable[str]) -> set[str]:
    """The words of the catalog node names (低保、五保与救助: 低保, 五保, 救助), and each
    short name whole (农村危房改造)."""
    words: set[str] = set()
    for name in names:
        for word in [*rjieba.cut_for_search(name), name]:
            if 2 <= len(word) <= 8 and _is_chinese(word):
                words.add(word)
    return words


def _sound_alike(word: str) -> dict[str, int]:
    """Dictionary words that replace one character by another of the same or a near sound."""
    found: dict[str, int] = {}
    for i, char in enumerate(word):
        for sound in pinyin.readings(char):
            nears = [(sound, SAME_SOUND), *((o, NEAR_SOUND) for o in sorted(pinyin.fuzzy(sound)))]
            for near, nearness in nears:
                for other in pinyin.chars_read(near):
                    candidate = word[:i] + other + word[i + 1 :]
                    if other != char and nearness > found.get(candidate, 0):
                        if rjieba.has_word(candidate):
                            found[candidate] = nearness
    return found


def _chinese_candidates(word: str, nodes: set[str]) -> dict[str, int]:
    """Replacements of a Chinese word, with their nearness: dictionary words of a near
    sound, and node words of a near sound or one character off (two, for long words)."""
    found = _sound_alike(word)
    for node_word in nodes:
        nearness = _sound_nearness(word, node_word)
        if nearness <= NEAR_SPELLING:
            far = _distance(word, node_word) > (1 if len(word) < 5 else 2)
            nearness = 0 if far else NEAR_SPELLING
        if nearness > found.get(node_word, 0):
            found[node_word] = nearness
    found.pop(word, None)
    return found


def _read_as(word: str, sounds: tuple[str, ...]) -> bool:
    return len(word) == len(sounds) and all(
        sound in pinyin.readings(char) for char, sound in zip(word, sounds, strict=True)
    )


def _words_of_sounds(sounds: tuple[str, ...]) -> list[str]:
    """Words read `sounds`: whole up to three syllables, else cut in twos (the last
    three when odd) and put together (weifanggaizao: 危房 + 改造), up to six."""
    if len(sounds) <= 3:
        return pinyin.words_read(sounds, rjieba.has_word)
    if len(sounds) > 6:
        return []
    cuts = [sounds[i : i + 2] for i in range(0, len(sounds) - 3, 2)]
    cuts.append(sounds[len(cuts) * 2 :])
    combos = [""]
    for cut in cuts:
        options = pinyin.words_read(cut, rjieba.has_word)[:3]
        combos = [combo + option for combo in combos for option in options]
    return combos[:MAX_CANDIDATES]


def _pinyin_candidates(letters: str, nodes: set[str]) -> dict[str, int]:
    """Chinese for typed pinyin: node words and dictionary words of its sounds, for the
    cut into the fewest syllables that gives any."""
    for sounds in pinyin.splits(letters):
        found = {word: SAME_SOUND for word in nodes if _read_as(word, sounds)}
        found.update((word, SAME_SOUND) for word in _words_of_sounds(sounds))
        if found:
            return found
    return {}


def candidates(word: str, nodes: set[str]) -> dict[str, int]:
    """Replacements of one query word that the index does not hold, with their nearness."""
    if _is_chinese(word) and len(word) >= 2:
        return _chinese_candidates(word, nodes)
    if word.isascii() and word.isalpha():
        return _pinyin_candidates(word, nodes)
    return {}


def _counts(
    queries: list[list[QueryWord]], *, scope_org_ids, filters: SearchFilters, now: datetime
) -> list[int]:
    """How many public notices (in scope and facets) hold every word of each query, each
    counted up to COUNT_LIMIT: one SQL query."""
    if not queries:
        return []
    backend = _backend()
    notice = connection.ops.quote_name(Notice._meta.db_table)
    narrow, narrow_params = _narrowing(scope_org_ids, filters)
    public, public_params = _public_where(scope_org_ids, now)
    selects: list[str] = []
    params: list = []
    for i, words in enumerate(queries):
        match, match_params = backend.match(words)
        where = " AND ".join([match, *narrow, *public])
        selects.append(
            f"SELECT {i} AS i, (SELECT count(*) FROM (SELECT 1 FROM {TABLE}"
            f" JOIN {notice} ON {notice}.id = {TABLE}.{backend.key}"
            f" WHERE {where} {backend.newest_first} LIMIT {COUNT_LIMIT}) found) AS n"
        )
        params += [*match_params, *narrow_params, *public_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        counts = dict(cursor.fetchall())
    return [counts[i] for i in range(len(queries))]


def _node_names() -> list[str]:
    return list(CatalogNode.objects.order_by().values_list("name", flat=True))


def did_you_mean(
    query: str,
    *,
    scope_org_ids: Iterable[int] | None = None,
    filters: SearchFilters | None = None,
    now: datetime | None = None,
    remember: Callable[[str, Callable], object] | None = None,
) -> str | None:
    """A query near `query` that finds notices, for a search of `query` that found none;
    None when there is no such query, or when each word is found on its own."""
    words = query_words(query)
    filters = filters or SearchFilters()
    scope = None if scope_org_ids is None else set(scope_org_ids)
    if not words or scope == set():
        return None
    remember = remember or (lambda _name, compute: compute())
    at = now or timezone.now()

    def count(queries: list[list[QueryWord]]) -> list[int]:
        return _counts(queries, scope_org_ids=scope, filters=filters, now=at)

    def suggest() -> str | None:
        found = count([[word] for word in words])
        missing = [word for word, n in zip(words, found, strict=True) if not n]
        if not missing:
            return None
        kept = [word for word in words if word not in missing]
        nodes = node_words(remember("search:node-names", _node_names))
        options: list[tuple[QueryWord, str, int]] = []
        for word in missing:
            near = candidates(word.word, nodes)
            best = sorted(near.items(), key=lambda item: (-item[1], item[0]))
            options += [(word, text, nearness) for text, nearness in best]
        options = options[:MAX_CANDIDATES]
        counts = count([[*kept, *query_words(text)] for _word, text, _n in options])
        chosen: dict[str, tuple[int, int, str]] = {}
        for (word, text, nearness), n in zip(options, counts, strict=True):
            if n and (nearness, n) > chosen.get(word.word, (0, 0, ""))[:2]:
                chosen[word.word] = (nearness, n, text)
        if len(chosen) < len(missing):
            return None  # a word with no replacement: no query near this one finds anything
        suggestion = query
        for typed, (_nearness, _n, text) in chosen.items():
            suggestion = suggestion.replace(typed, text, 1)
        return suggestion

    name = repr(([w.terms() for w in words], sorted(scope) if scope is not None else None, filters))
    return remember("search-suggest:" + hashlib.sha256(name.encode()).hexdigest()[:32], suggest)
