"""Pinyin, for the "did you mean" of a search that found nothing (`suggest`).

- A typo in Chinese is most often the right sound with the wrong character (底保 for
  低保), or a near sound (危房改照 for 危房改造: zh for z), because people type with a
  pinyin input method; and some type the pinyin itself (dibao).
- The readings come from the character table that pypinyin ships (pinyin_dict.json,
  every character's readings with tones), read here without importing pypinyin: its
  import also loads its 400,000-phrase table, 56 MB in every web worker, for nothing we
  use. Loaded on the first search that finds nothing (~0.2 s), ~2 MB kept.
- Only the GB2312 characters (6,763, the ones an input method offers first) are offered
  as replacements.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from itertools import product
from pathlib import Path

# Sounds that people in many regions do not tell apart, or type for each other.
FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("r", "l"))
FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("iang", "ian"), ("uang", "uan"))
MAX_SYLLABLES = 8  # a longer run of letters is not taken for pinyin
MAX_SPLITS = 4  # ways of cutting one run of letters into syllables


def _toneless(reading: str) -> str:
    """lǘ → lv, dǐ → di: as typed on a keyboard (ü as v)."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _common() -> list[str]:
    """The GB2312 characters, in its order (the first 3,755 by pinyin, the rest by radical)."""
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:  # the few empty places at the end of a row
                continue
    return chars


class _Table:
    """Each common character's toneless readings, and the common characters of each."""

    def __init__(self) -> None:
        spec = importlib.util.find_spec("pypinyin")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("pypinyin is not installed")
        path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
        table = json.loads(path.read_text(encoding="utf-8"))
        self.readings: dict[str, frozenset[str]] = {}
        self.chars: dict[str, list[str]] = defaultdict(list)
        for char in _common():
            readings = table.get(str(ord(char)))
            if readings:
                sounds = frozenset(_toneless(r) for r in readings.split(","))
                self.readings[char] = sounds
                for sound in sounds:
                    self.chars[sound].append(char)
        # Not the interjections n, ng, hm (嗯, 呣): letters they would cut off are no pinyin.
        self.syllables = frozenset(s for s in self.chars if any(v in s for v in "aeiouv"))


@functools.cache
def _table() -> _Table:
    return _Table()


def readings(char: str) -> frozenset[str]:
    """The toneless readings of a common character (底: di, de); none for any other."""
    return _table().readings.get(char, frozenset())


def fuzzy(sound: str) -> set[str]:
    """The sounds near `sound` (zhao: zao; fang: fan, huang), not `sound` itself."""
    near: set[str] = set()
    for a, b in FUZZY_INITIALS:
        for this, that in ((a, b), (b, a)):
            # zh before z: "zhao" starts with z too, but its initial is zh.
            if sound.startswith(this) and not (this in "zcs" and sound[1:2] == "h"):
                near.add(that + sound[len(this) :])
    for a, b in FUZZY_FINALS:
        for this, that in ((a, b), (b, a)):
            if sound.endswith(this) and not (this == b and sound.endswith(a)):
                near.add(sound[: -len(this)] + that)
    syllables = _table().syllables
    return {other for other in near if other in syllables and other != sound}


def chars_read(sound: str) -> list[str]:
    """The common characters that can be read `sound`, in GB2312's order."""
    return _table().chars.get(sound, [])


def same_sound(a: str, b: str) -> bool:
    """Whether the two characters share a reading."""
    return bool(readings(a) & readings(b))


def near_sound(a: str, b: str) -> bool:
    """Whether a reading of one is a fuzzy sound of a reading of the other."""
    theirs = readings(b)
    return any(fuzzy(sound) & theirs for sound in readings(a))


def splits(letters: str) -> list[tuple[str, ...]]:
    """The ways of cutting a run of letters into syllables, fewest syllables first
    (xian: xian, xi an); at most MAX_SPLITS, none past MAX_SYLLABLES syllables."""
    letters = letters.lower()
    syllables = _table().syllables
    found: list[tuple[str, ...]] = []

    def walk(start: int, taken: tuple[str, ...]) -> None:
        if len(taken) > MAX_SYLLABLES or len(found) >= 64:
            return
        if start == len(letters):
            found.append(taken)
            return
        for end in range(min(len(letters), start + 6), start, -1):  # longest first
            if letters[start:end] in syllables:
                walk(end, (*taken, letters[start:end]))

    if letters.isascii() and letters.isalpha():
        walk(0, ())
    return sorted(found, key=len)[:MAX_SPLITS]


def words_read(
    sounds: tuple[str, ...], is_word: Callable[[str], bool], limit: int = 2000
) -> list[str]:
    """The words (`is_word`) written with common characters read `sounds` in order: every
    combination is tried, so at most `limit` of them (two syllables: a few hundred)."""
    choices = [chars_read(sound) for sound in sounds]
    size = 1
    for chars in choices:
        size *= len(chars)
    if not size or size > limit:
        return []
    return [word for word in map("".join, product(*choices)) if is_word(word)]
