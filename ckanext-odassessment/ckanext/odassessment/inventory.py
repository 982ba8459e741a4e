"""Publication inventory: validation of entries, CSV/XLSX import and export,
dataset links and progress figures.

An entry's values may be given as codes (``health``, ``ANNUAL``,
``in_preparation``) or as their labels in Arabic, French or English
(``الصحة``, ``Annuelle``, ``In preparation``), so the files ministries keep
in their own language import as they are. Every problem is reported per
field (per row and column for files), and an import writes nothing unless
every row is valid."""
from __future__ import annotations

import csv
import datetime
import io
import json
import re
import unicodedata
from collections import defaultdict
from typing import Any, Iterable, Mapping, Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opengov.logic import vocabularies
from ckanext.odassessment.model.inventory import (
    APPROVED_STATUSES, STATUSES, InventoryEntry)

LANGUAGES = ("ar", "fr", "en")

#: Status labels in the three portal languages (also accepted on import).
STATUS_LABELS: dict[str, dict[str, str]] = {
    "identified": {"ar": "محددة", "fr": "Identifiée", "en": "Identified"},
    "approved": {"ar": "موافق على فتحها", "fr": "Approuvée pour ouverture",
                 "en": "Approved for opening"},
    "in_preparation": {"ar": "قيد الإعداد", "fr": "En préparation", "en": "In preparation"},
    "published": {"ar": "منشورة", "fr": "Publiée", "en": "Published"},
    "not_openable": {"ar": "غير قابلة للفتح", "fr": "Non ouvrable", "en": "Not openable"},
}

#: Columns of the import/export files, with the header labels also accepted.
COLUMNS: dict[str, dict[str, str]] = {
    "reference": {"ar": "المرجع", "fr": "Référence", "en": "Reference"},
    "title_ar": {"ar": "العنوان بالعربية", "fr": "Titre (arabe)", "en": "Title (Arabic)"},
    "title_fr": {"ar": "العنوان بالفرنسية", "fr": "Titre (français)", "en": "Title (French)"},
    "title_en": {"ar": "العنوان بالإنجليزية", "fr": "Titre (anglais)", "en": "Title (English)"},
    "description_ar": {"ar": "الوصف بالعربية", "fr": "Description (arabe)",
                       "en": "Description (Arabic)"},
    "description_fr": {"ar": "الوصف بالفرنسية", "fr": "Description (français)",
                       "en": "Description (French)"},
    "description_en": {"ar": "الوصف بالإنجليزية", "fr": "Description (anglais)",
                       "en": "Description (English)"},
    "theme": {"ar": "المحور", "fr": "Thème", "en": "Theme"},
    "frequency": {"ar": "وتيرة التحيين", "fr": "Fréquence", "en": "Frequency"},
    "high_value": {"ar": "ذات قيمة عالية", "fr": "Forte valeur", "en": "High value"},
    "target_date": {"ar": "التاريخ المستهدف", "fr": "Date cible", "en": "Target date"},
    "status": {"ar": "الحالة", "fr": "Statut", "en": "Status"},
    "legal_reason": {"ar": "السبب القانوني", "fr": "Motif juridique", "en": "Legal reason"},
    "dataset": {"ar": "مجموعة البيانات", "fr": "Jeu de données", "en": "Dataset"},
}

_YES = {"1", "true", "yes", "y", "oui", "o", "vrai", "نعم", "x"}
_NO = {"", "0", "false", "no", "n", "non", "faux", "لا"}
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")
MAX_TEXT = 2000
MAX_REFERENCE = 100


class FileProblem(Exception):
    """The file as a whole cannot be read (format, encoding, columns)."""


# ----------------------------------------------------------------- values

def _key(text: Any) -> str:
    """Comparison key of a label: NFC, case-folded, spaces collapsed,
    Arabic diacritics and tatweel dropped."""
    text = unicodedata.normalize("NFC", str(text)).translate(_ARABIC_DIGITS)
    text = re.sub("[\u064b-\u0652\u0640]", "", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _lookup(choices: Iterable[tuple[str, Mapping[str, str]]]) -> dict[str, str]:
    """label or code (any language) -> code."""
    index: dict[str, str] = {}
    for code, labels in choices:
        index[_key(code)] = code
        for label in labels.values():
            index.setdefault(_key(label), code)
    return index


def _vocabulary_lookup(name: str) -> dict[str, str]:
    return _lookup((e["value"], e["label"]) for e in vocabularies.vocabulary(name))


def status_label(status: str, lang: Optional[str] = None) -> str:
    labels = STATUS_LABELS.get(status) or {}
    lang = lang or _ui_language()
    return labels.get(lang) or labels.get("fr") or status


def column_label(column: str, lang: Optional[str] = None) -> str:
    return COLUMNS.get(column, {}).get(lang or _ui_language()) or column


def _ui_language() -> str:
    try:
        return tk.h.lang() or "fr"
    except (RuntimeError, AttributeError, TypeError):
        return "fr"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _translated(value: Any, field: str, errors: dict[str, list[str]]) -> dict[str, str]:
    """A {lang: text} value from a dict or a JSON string."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip().startswith("{") else {_script_language(value): value}
        except ValueError:
            errors[field].append(tk._("Expecting a JSON object such as {\"ar\": \"…\", \"fr\": \"…\"}"))
            return {}
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors[field].append(tk._("Expecting a text per language (ar, fr, en)"))
        return {}
    out: dict[str, str] = {}
    for lang, text in value.items():
        lang_code = str(lang).strip().lower().replace("_", "-").split("-")[0]
        if lang_code not in LANGUAGES:
            errors[field].append(tk._('Unknown language "{lang}": use ar, fr or en').format(lang=lang))
            continue
        text = _text(text)
        if len(text) > MAX_TEXT:
            errors[field].append(tk._("At most {n} characters").format(n=MAX_TEXT))
        elif text:
            out[lang_code] = text
    return out


def _script_language(text: str) -> str:
    """A plain text (not per language): Arabic when written in Arabic script."""
    return "ar" if any("\u0600" <= char <= "\u06ff" for char in text) else "fr"


def _coded(value: Any, index: dict[str, str], message: str, field: str,
           errors: dict[str, list[str]]) -> Optional[str]:
    text = _text(value)
    if not text:
        return None
    code = index.get(_key(text))
    if code is None:
        errors[field].append(message.format(value=text))
    return code


def _boolean(value: Any, field: str, errors: dict[str, list[str]]) -> bool:
    if isinstance(value, bool):
        return value
    text = _key(_text(value))
    if text in _YES:
        return True
    if text not in _NO:
        errors[field].append(tk._('"{value}" is not yes or no').format(value=_text(value)))
    return False


def _date(value: Any, field: str, errors: dict[str, list[str]]) -> Optional[datetime.date]:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).translate(_ARABIC_DIGITS)
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    errors[field].append(tk._('"{value}" is not a date (YYYY-MM-DD)').format(value=_text(value)))
    return None


def find_dataset(organization_id: str, value: Any) -> Optional[model.Package]:
    """A dataset of the organisation by id, name, URL or title (any language)."""
    text = _text(value)
    if not text:
        return None
    candidate = text.rstrip("/").rsplit("/dataset/", 1)[-1].split("/")[0] if "/dataset/" in text else text
    pkg = model.Package.get(candidate)
    if pkg is None:
        wanted = _key(text)
        query = model.Session.query(model.Package).filter(
            model.Package.owner_org == organization_id,
            model.Package.state == "active", model.Package.type == "dataset")
        for other in query:
            titles = [other.title or ""]
            translated = (other.extras or {}).get("title_translated")
            if translated:
                try:
                    titles += list(json.loads(translated).values())
                except (ValueError, AttributeError):
                    pass
            if any(_key(t) == wanted for t in titles if t):
                return other
        return None
    if pkg.owner_org != organization_id or pkg.state != "active" or pkg.type != "dataset":
        return None
    return pkg


# ----------------------------------------------------------------- entries

def validate_entry(data: Mapping[str, Any], organization_id: str,
                   stored: Optional[InventoryEntry] = None
                   ) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Clean values of an entry and the problems per field. ``stored`` gives
    the values of fields ``data`` does not send (updates)."""
    errors: dict[str, list[str]] = defaultdict(list)
    current = stored.as_dict() if stored else {}

    def given(field: str) -> bool:
        return field in data

    def value(field: str) -> Any:
        return data[field] if field in data else current.get(field)

    clean: dict[str, Any] = {}
    reference = _text(value("reference")) or None
    if reference and len(reference) > MAX_REFERENCE:
        errors["reference"].append(tk._("At most {n} characters").format(n=MAX_REFERENCE))
    clean["reference"] = reference
    for field in ("title", "description"):
        clean[field] = _translated(value(field), field, errors)
    if not clean["title"] and not errors["title"]:
        errors["title"].append(tk._("A title is needed in at least one language (ar, fr or en)"))
    clean["theme"] = _coded(value("theme"), _vocabulary_lookup("themes"),
                            tk._('Unknown theme "{value}"'), "theme", errors)
    clean["frequency"] = _coded(value("frequency"), _vocabulary_lookup("frequencies"),
                                tk._('Unknown frequency "{value}"'), "frequency", errors)
    clean["high_value"] = _boolean(value("high_value") or False, "high_value", errors)
    clean["target_date"] = _date(value("target_date"), "target_date", errors)
    status = _coded(value("status"), _lookup(STATUS_LABELS.items()),
                    tk._('Unknown status "{value}"'), "status", errors)
    clean["legal_reason"] = _text(value("legal_reason")) or None
    package_id = current.get("package_id")
    if given("dataset") or given("package_id"):
        wanted = data.get("dataset") if given("dataset") else data.get("package_id")
        pkg = find_dataset(organization_id, wanted)
        if _text(wanted) and pkg is None:
            errors["dataset"].append(
                tk._('No dataset "{value}" in this organisation').format(value=_text(wanted)))
        package_id = pkg.id if pkg else None
    clean["package_id"] = package_id
    clean["status"] = _status(status or ("published" if package_id else "identified"),
                              package_id, clean["legal_reason"], errors)
    return clean, {k: v for k, v in errors.items() if v}


def _status(status: str, package_id: Optional[str], legal_reason: Optional[str],
            errors: dict[str, list[str]]) -> str:
    """A linked dataset publishes the entry; "published" needs one; "not
    openable" needs its legal reason."""
    if package_id and status != "published":
        if status == "not_openable":
            errors["status"].append(tk._("An entry with a published dataset cannot be not openable"))
        return "published"
    if status == "published" and not package_id:
        errors["dataset"].append(tk._("A published entry needs the dataset that publishes it"))
    if status == "not_openable" and not legal_reason:
        errors["legal_reason"].append(tk._("Give the legal reason why the data cannot be opened"))
    return status


def reference_taken(organization_id: str, reference: Optional[str],
                    entry_id: Optional[str] = None) -> bool:
    if not reference:
        return False
    other = InventoryEntry.by_reference(organization_id, reference)
    return other is not None and other.id != entry_id


def apply(entry: InventoryEntry, clean: Mapping[str, Any]) -> InventoryEntry:
    for field, value in clean.items():
        setattr(entry, field, value)
    entry.modified = datetime.datetime.utcnow()
    return entry


def entry_dict(entry: InventoryEntry) -> dict[str, Any]:
    """The API view of an entry, with its organisation and dataset names."""
    out = entry.as_dict()
    org = model.Group.get(entry.organization_id)
    out["organization"] = org.name if org else None
    pkg = model.Package.get(entry.package_id) if entry.package_id else None
    out["dataset"] = pkg.name if pkg else None
    return out


# ----------------------------------------------------------------- dataset links

def link_dataset(pkg_dict: Mapping[str, Any]) -> Optional[InventoryEntry]:
    """A dataset declares the entry it publishes with its ``identifier`` set
    to the entry's reference: link them and mark the entry published."""
    reference = _text(pkg_dict.get("identifier"))
    org_id = pkg_dict.get("owner_org")
    if not reference or not org_id or pkg_dict.get("type", "dataset") != "dataset":
        return None
    if pkg_dict.get("state", "active") != "active":
        return None
    entry = InventoryEntry.by_reference(org_id, reference)
    if entry is None or entry.package_id == pkg_dict.get("id"):
        return None
    if entry.package_id and _is_live(entry.package_id):
        return None
    apply(entry, {"package_id": pkg_dict["id"], "status": "published"})
    return entry  # committed with the dataset by the calling action


def _is_live(package_id: str) -> bool:
    pkg = model.Package.get(package_id)
    return pkg is not None and pkg.state == "active"


def unlink_dataset(package_id: str) -> int:
    """A deleted dataset no longer publishes its entries: back to "in
    preparation" (committed with the deletion by the calling action)."""
    pkg = model.Package.get(package_id)
    package_id = pkg.id if pkg else package_id
    entries = model.Session.query(InventoryEntry).filter(
        InventoryEntry.package_id == package_id).all()
    for entry in entries:
        apply(entry, {"package_id": None, "status": "in_preparation"})
    return len(entries)


# ----------------------------------------------------------------- progress

def _figures(entries: int, approved: int, published: int, overdue: int) -> dict[str, Any]:
    return {"entries": int(entries), "approved": int(approved),
            "published": int(published), "overdue": int(overdue),
            "progress_rate": round(published / approved, 4) if approved else None}


def no_progress() -> dict[str, Any]:
    """The figures of an empty inventory."""
    return _figures(0, 0, 0, 0)


def _progress_query(group_by: Any = None, today: Optional[datetime.date] = None) -> Any:
    today = today or datetime.date.today()
    t = InventoryEntry.__table__
    approved = t.c.status.in_(APPROVED_STATUSES)
    overdue = sa.and_(approved, t.c.status != "published", t.c.target_date < today)
    columns = [sa.func.count(), sa.func.count().filter(approved),
               sa.func.count().filter(t.c.status == "published"), sa.func.count().filter(overdue)]
    if group_by is None:
        return sa.select(*columns)
    return sa.select(group_by, *columns).group_by(group_by)


def progress(organization_ids: Optional[list[str]] = None, theme: Optional[str] = None,
             today: Optional[datetime.date] = None) -> dict[str, Any]:
    """Entries, approved for opening, published and overdue, and the progress
    rate published / approved (None when nothing is approved yet)."""
    query = _scope(_progress_query(today=today), organization_ids, theme)
    return _figures(*model.Session.execute(query).one())


def progress_by_organization(organization_ids: Optional[list[str]] = None,
                             theme: Optional[str] = None) -> dict[str, dict[str, Any]]:
    """organisation id -> its progress figures (organisations with entries)."""
    t = InventoryEntry.__table__
    query = _scope(_progress_query(t.c.organization_id), organization_ids, theme)
    return {org_id: _figures(*numbers) for org_id, *numbers in model.Session.execute(query)}


def _scope(query: Any, organization_ids: Optional[list[str]], theme: Optional[str]) -> Any:
    """Entries of the given organisations (default: every active one) and theme."""
    t = InventoryEntry.__table__
    if organization_ids is None:
        group = model.Group.__table__
        organization_ids = sa.select(group.c.id).where(
            group.c.is_organization.is_(True), group.c.state == "active")
    query = query.where(t.c.organization_id.in_(organization_ids))
    return query.where(t.c.theme == theme) if theme else query


def status_counts(organization_ids: Optional[list[str]] = None,
                  theme: Optional[str] = None) -> dict[str, int]:
    t = InventoryEntry.__table__
    query = _scope(sa.select(t.c.status, sa.func.count()).group_by(t.c.status),
                   organization_ids, theme)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: int(n) for status, n in model.Session.execute(query)})
    return counts


# ----------------------------------------------------------------- files

def read_rows(content: bytes, file_format: str) -> list[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, {column: value}) of the data rows, blank rows
    skipped. Raises FileProblem for an unreadable file or wrong columns."""
    if not content:
        raise FileProblem(tk._("The file is empty"))
    if file_format == "xlsx":
        table = _xlsx_table(content)
    elif file_format == "csv":
        table = _csv_table(content)
    else:
        raise FileProblem(tk._('Unknown file format "{format}": use CSV or XLSX').format(format=file_format))
    if not table:
        raise FileProblem(tk._("The file is empty"))
    columns = _columns(table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(_text(c) == "" for c in cells):
            continue
        if len(cells) > len(columns) and any(_text(c) for c in cells[len(columns):]):
            raise FileProblem(tk._("Row {row} has more cells than the header has columns").format(row=number))
        rows.append((number, {col: cells[i] if i < len(cells) else None
                              for i, col in enumerate(columns) if col}))
    if not rows:
        raise FileProblem(tk._("The file has a header but no entries"))
    return rows


def _csv_table(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(tk._("The CSV file is not UTF-8: save it as \"CSV UTF-8\""))
    if "\x00" in text:
        raise FileProblem(tk._("This is not a CSV file"))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise FileProblem(tk._("The CSV file is malformed: {error}").format(error=error))


def _xlsx_table(content: bytes) -> list[list[Any]]:
    import zipfile
    from openpyxl import load_workbook
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise FileProblem(tk._("This is not a valid XLSX workbook"))
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _columns(header: list[Any]) -> list[Optional[str]]:
    """Canonical column names of the header (codes or labels in ar/fr/en)."""
    index = _lookup(COLUMNS.items())
    columns: list[Optional[str]] = []
    unknown = []
    for cell in header:
        text = _text(cell)
        if not text:
            columns.append(None)
            continue
        column = index.get(_key(text))
        if column is None:
            unknown.append(text)
        elif column in columns:
            raise FileProblem(tk._('Column "{column}" appears twice').format(column=text))
        columns.append(column)
    if unknown:
        raise FileProblem(tk._("Unknown columns: {columns}. Expected columns: {expected}").format(
            columns=", ".join(unknown), expected=", ".join(COLUMNS)))
    if not any(c and c.startswith("title_") for c in columns):
        raise FileProblem(tk._("A title column is missing (title_ar, title_fr or title_en)"))
    return columns


def row_data(row: Mapping[str, Any]) -> dict[str, Any]:
    """Entry fields from a file row (title_ar ... -> title {ar: ...})."""
    data: dict[str, Any] = {}
    for column, value in row.items():
        field, _sep, lang = column.rpartition("_")
        if field in ("title", "description") and lang in LANGUAGES:
            data.setdefault(field, {})[lang] = value
        else:
            data[column] = value
    data.setdefault("description", {})
    return data


def validate_rows(rows: list[tuple[int, dict[str, Any]]], organization_id: str
                  ) -> tuple[list[tuple[Optional[InventoryEntry], dict[str, Any]]], list[dict[str, Any]]]:
    """Each row checked as an entry (matched to a stored one by reference);
    returns (entry or None, clean values) per row and the row-level errors."""
    planned: list[tuple[Optional[InventoryEntry], dict[str, Any]]] = []
    problems: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        data = row_data(row)
        reference = _text(data.get("reference"))
        stored = InventoryEntry.by_reference(organization_id, reference) if reference else None
        clean, errors = validate_entry(data, organization_id, stored=stored)
        if reference and reference in seen:
            errors.setdefault("reference", []).append(
                tk._("Reference already used on row {row}").format(row=seen[reference]))
        seen.setdefault(reference, number)
        for field, messages in errors.items():
            column = _column_of(field, row)
            for message in messages:
                problems.append({"row": number, "column": column,
                                 "value": _text(row.get(column)), "message": message})
        planned.append((stored, clean))
    return planned, problems


def _column_of(field: str, row: Mapping[str, Any]) -> str:
    if field in ("title", "description"):
        return next((c for c in row if c.startswith(field + "_")), field + "_fr")
    return field


EXPORT_COLUMNS = list(COLUMNS)


def export_rows(entries: Iterable[InventoryEntry]) -> list[list[Any]]:
    rows: list[list[Any]] = [EXPORT_COLUMNS]
    for entry in entries:
        pkg = model.Package.get(entry.package_id) if entry.package_id else None
        values = {
            "reference": entry.reference or "",
            "theme": entry.theme or "", "frequency": entry.frequency or "",
            "high_value": "yes" if entry.high_value else "no",
            "target_date": entry.target_date.isoformat() if entry.target_date else "",
            "status": entry.status, "legal_reason": entry.legal_reason or "",
            "dataset": pkg.name if pkg else "",
        }
        for field in ("title", "description"):
            for lang in LANGUAGES:
                values[f"{field}_{lang}"] = (getattr(entry, field) or {}).get(lang, "")
        rows.append([values[c] for c in EXPORT_COLUMNS])
    return rows


def to_csv(rows: list[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Arabic right."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[Any]], title: str = "inventory") -> bytes:
    from openpyxl import Workbook
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
