"""Language keys of multilingual values: normalisation, display fallback and
text direction. Pure functions: the configuration is passed in by callers
(see ``helpers.py`` and ``logic/validators.py``)."""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable, Mapping, Optional

#: Region/script variants mapped to their primary subtag ("ar-*" is a pattern).
DEFAULT_LANGUAGE_MAP = "ar-*:ar fr-*:fr en-*:en"
#: Order in which languages are tried when the preferred one has no text.
DEFAULT_FALLBACK_ORDER = "ar fr en"
#: Languages required for content created on the portal (``required: true``).
DEFAULT_REQUIRED_LANGUAGES = "ar fr"

#: Loose BCP-47 shape once normalised (lower case, ``-`` separated).
_LANGUAGE_KEY = re.compile(r"^[a-z]{2,8}(-[0-9a-z]{1,8})*$")
#: Bidirectional formatting marks removed from tags (LRM, RLM, ALM,
#: embeddings/overrides and isolates).
_BIDI_MARKS = dict.fromkeys(
    [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
#: Separators of tags typed in one input: Latin and Arabic commas.
TAG_SEPARATORS = re.compile("[,\u060c]")
_TAG_PUNCTUATION = set(" -_.'")
TAG_MIN_LENGTH = 2
TAG_MAX_LENGTH = 100

_NATIVE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}


def parse_language_map(setting: str | Mapping[str, str] | None) -> dict[str, str]:
    """``"fr-FR:fr ar-*:ar"`` (or a dict) -> ``{"fr-fr": "fr", "ar-*": "ar"}``."""
    if isinstance(setting, Mapping):
        pairs = list(setting.items())
    else:
        pairs = [
            tuple(item.split(":", 1)) for item in (setting or "").split()
            if ":" in item
        ]
    return {_canonical(src): _canonical(dst) for src, dst in pairs}


def parse_languages(setting: str | Iterable[str] | None) -> list[str]:
    """``"ar fr en"`` or a list -> normalised, de-duplicated codes in order."""
    items = setting.split() if isinstance(setting, str) else list(setting or [])
    out: list[str] = []
    for item in items:
        code = _canonical(str(item))
        if code and code not in out:
            out.append(code)
    return out


def _canonical(key: str) -> str:
    return key.strip().replace("_", "-").lower()


def is_language_key(key: Any) -> bool:
    """True for a string shaped like a language tag (``ar``, ``fr-FR``, ``ar_TN``)."""
    return isinstance(key, str) and bool(_LANGUAGE_KEY.match(_canonical(key)))


def normalise_language(
    key: str, language_map: Mapping[str, str], keep: Iterable[str] = ()
) -> str:
    """Map a language key to the portal's code: ``FR`` -> ``fr``,
    ``fr-FR`` -> ``fr``, ``ar_TN`` -> ``ar``. Keys listed in ``keep`` (the
    field's own languages and alternates) are only lower-cased."""
    code = _canonical(key)
    if code in set(keep):
        return code
    if code in language_map:
        return language_map[code]
    primary = code.split("-", 1)[0]
    if primary != code and primary + "-*" in language_map:
        return language_map[primary + "-*"]
    return code


def normalise_values(
    values: Mapping[Any, Any], language_map: Mapping[str, str], keep: Iterable[str] = ()
) -> dict[Any, Any]:
    """Re-key a ``{lang: value}`` dict with normalised codes. When two keys
    meet (``fr`` and ``fr-FR``) the first non-empty value wins, the key that
    was already canonical first. Non-string keys are kept as they are."""
    keep = list(keep)
    items = sorted(
        values.items(),
        key=lambda kv: not (isinstance(kv[0], str) and kv[0] == _canonical(kv[0])),
    )
    out: dict[Any, Any] = {}
    for key, value in items:
        code = normalise_language(key, language_map, keep) if isinstance(key, str) else key
        if code not in out or (is_empty(out[code]) and not is_empty(value)):
            out[code] = value
    return out


def is_empty(value: Any) -> bool:
    """None, blank strings and empty lists count as no text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not any(not is_empty(v) for v in value)
    return False


def drop_empty(values: Mapping[str, Any]) -> dict[str, Any]:
    """``{"ar": "", "fr": "x"}`` -> ``{"fr": "x"}``."""
    return {k: v for k, v in values.items() if not is_empty(v)}


def fallback_order(*preferences: Optional[str | Iterable[str]]) -> list[str]:
    """Merge language preferences (codes or lists of codes) in order,
    without duplicates or blanks."""
    out: list[str] = []
    for pref in preferences:
        if not pref:
            continue
        for code in parse_languages(pref):
            # "fr_FR" UI locales prefer their primary language too
            for candidate in (code, code.split("-", 1)[0]):
                if candidate not in out:
                    out.append(candidate)
    return out


def pick_language(values: Any, order: Iterable[str]) -> tuple[Optional[str], Any]:
    """The first language in ``order`` with a non-empty value, then any other
    non-empty value (sorted by key). ``(None, "")`` when nothing has text."""
    if not isinstance(values, Mapping):
        return (None, values if not is_empty(values) else "")
    for code in order:
        if not is_empty(values.get(code)):
            return code, values[code]
    for code in sorted(values, key=str):
        if not is_empty(values[code]):
            return code, values[code]
    return None, ""


def text_direction(lang: Optional[str], rtl_languages: Iterable[str]) -> str:
    """``"rtl"`` when the language (or its primary subtag) is right-to-left."""
    if not lang:
        return "auto"
    rtl = set(parse_languages(rtl_languages))
    code = _canonical(lang)
    return "rtl" if code in rtl or code.split("-", 1)[0] in rtl else "ltr"


def native_name(lang: str) -> str:
    """The language's name in itself: ``ar`` -> ``العربية``."""
    code = _canonical(lang)
    if code in _NATIVE_NAMES:
        return _NATIVE_NAMES[code]
    try:
        from babel import Locale

        name = Locale.parse(code.replace("-", "_")).get_display_name()
        return name[:1].upper() + name[1:] if name else code.upper()
    except Exception:  # unknown to babel: show the code
        return code.upper()


def clean_tag(tag: str) -> str:
    """NFC-normalise, drop bidi marks, use a straight apostrophe, squeeze
    blanks: ``"\u200fزراعة "`` -> ``"زراعة"``."""
    text = unicodedata.normalize("NFC", tag).translate(_BIDI_MARKS)
    text = text.replace("\u2019", "'")
    return " ".join(text.split())


def split_tags(value: str | Iterable[str]) -> list[str]:
    """Split a typed list on ``,`` and ``،``; clean and de-duplicate."""
    parts = TAG_SEPARATORS.split(value) if isinstance(value, str) else list(value)
    out: list[str] = []
    for part in parts:
        tag = clean_tag(part) if isinstance(part, str) else part
        if tag and tag not in out:
            out.append(tag)
    return out


def tag_problem(tag: Any) -> Optional[str]:
    """Why a cleaned tag is refused: ``"type"``, ``"short"``, ``"long"`` or
    ``"characters"``; None when the tag is fine."""
    if not isinstance(tag, str):
        return "type"
    if len(tag) < TAG_MIN_LENGTH:
        return "short"
    if len(tag) > TAG_MAX_LENGTH:
        return "long"
    for char in tag:
        if char not in _TAG_PUNCTUATION and unicodedata.category(char)[0] not in "LNM":
            return "characters"
    return None
