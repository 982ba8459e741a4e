"""Readable Latin slugs for Arabic-only titles.

CKAN's ``munge_title_to_name`` drops every non-Latin letter, so an Arabic
title becomes ``__`` (then ``__1``, ``__2``...). :func:`arabic_slug`
transliterates the title letter by letter (a simple, reversible-enough
ASCII scheme: ``ميزانية الدولة`` -> ``mizaniya-aldawla`` style), which
keeps the slug meaningful to a reader of the address bar.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from ckan.lib.munge import munge_title_to_name

_LETTERS = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "ch", "ص": "s", "ض": "d", "ط": "t", "ظ": "dh",
    "ع": "a", "غ": "gh", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ة": "a", "و": "ou", "ي": "i", "ى": "a", "پ": "p", "چ": "tch", "ڤ": "v",
    "گ": "g", "ﻻ": "la", "،": " ", "؛": " ", "؟": " ", "ـ": "",
}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
MAX_LENGTH = 80


def has_arabic(text: Optional[str]) -> bool:
    return bool(_ARABIC.search(text or ""))


def transliterate(text: str) -> str:
    """Arabic letters and digits in ASCII; other characters kept."""
    text = _MARKS.sub("", unicodedata.normalize("NFKC", text or ""))
    return "".join(_LETTERS.get(ch, _DIGITS.get(ch, ch)) for ch in text)


def arabic_slug(title: str) -> Optional[str]:
    """A CKAN name from an Arabic title, None when too little is left."""
    slug = munge_title_to_name(transliterate(title))[:MAX_LENGTH].strip("-_")
    letters = re.sub(r"[^a-z0-9]", "", slug)
    return slug if len(letters) >= 2 else None
