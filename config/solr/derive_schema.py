"""Derive the portal's Solr schema from CKAN's own schema.xml.

    python config/solr/derive_schema.py CKAN_SCHEMA_XML CORE_CONF_DIR

Reads CKAN's schema.xml (from the installed ckan package; no copy of it is
kept in the repository), adds the field types, fields and copyFields of
``opengov_fields.xml`` (next to this script) and writes ``schema.xml`` and
the analysis resource files (``contractions_fr.txt``) into CORE_CONF_DIR.

Idempotent: elements the fragment defines replace any element of the same
name already in the input, so deriving from an already derived schema gives
the same file. The result is parsed back and checked (well-formed, CKAN's
schema name and uniqueKey kept, every copyField names a declared field or
dynamic field, every field names a declared type) before it replaces the
old schema.xml; on any problem nothing is written and the exit code is 1.
"""
from __future__ import annotations

import fnmatch
import os
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
FRAGMENT = os.path.join(HERE, "opengov_fields.xml")
RESOURCES = ("contractions_fr.txt",)
MARK = " opengov: added by config/solr/derive_schema.py "


class SchemaError(Exception):
    """The derived schema would not be usable by Solr or by CKAN."""


def _parse(path: str) -> ET.ElementTree:
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    return ET.parse(path, parser)


def _section(root: ET.Element, tag: str) -> ET.Element:
    """CKAN's <types> or <fields> wrapper (created if a future CKAN drops it)."""
    found = root.find(tag)
    if found is None:
        found = ET.SubElement(root, tag)
    return found


def _is_type(el: ET.Element) -> bool:
    return el.tag in ("fieldType", "fieldtype")


def _remove_named(parent: ET.Element, names: set[str], match) -> None:
    for child in list(parent):
        if match(child) and child.get("name") in names:
            parent.remove(child)


def _remove_marks(parent: ET.Element) -> None:
    for child in list(parent):
        if child.tag is ET.Comment and child.text == MARK:
            parent.remove(child)


def _append(parent: ET.Element, elements: list[ET.Element], before=None, indent="\n    ") -> None:
    """Insert a marker comment and ``elements`` before ``before`` (or at the end)."""
    items = [ET.Comment(MARK), *elements]
    index = list(parent).index(before) if before is not None else len(parent)
    if index and before is None:
        parent[index - 1].tail = "\n" + indent
    for offset, item in enumerate(items):
        item.tail = indent
        parent.insert(index + offset, item)
    if before is not None:
        items[-1].tail = "\n" + indent
    else:
        items[-1].tail = "\n" + indent[:-4] if indent.endswith("    ") else "\n"


def derive(ckan_schema: str, fragment: str = FRAGMENT) -> ET.ElementTree:
    """CKAN's schema tree with the fragment's types, fields and copyFields."""
    tree = _parse(ckan_schema)
    root = tree.getroot()
    extra = _parse(fragment).getroot()
    new_types = [el for el in extra.find("types") if _is_type(el)]
    new_fields = [el for el in extra.find("fields") if el.tag == "field"]
    new_copies = [el for el in extra.find("copyFields") if el.tag == "copyField"]

    types, fields = _section(root, "types"), _section(root, "fields")
    for parent in (root, types, fields):
        _remove_marks(parent)
    _remove_named(types, {t.get("name") for t in new_types}, _is_type)
    _remove_named(fields, {f.get("name") for f in new_fields}, lambda el: el.tag == "field")
    wanted = {(c.get("source"), c.get("dest")) for c in new_copies}
    for child in list(root):
        if child.tag == "copyField" and (child.get("source"), child.get("dest")) in wanted:
            root.remove(child)

    _append(types, new_types)
    first_dynamic = next((el for el in fields if el.tag == "dynamicField"), None)
    _append(fields, new_fields, before=first_dynamic)
    _append(root, new_copies, indent="\n")
    return tree


def _matches(name: str, fields: set[str], dynamic: list[str]) -> bool:
    return name in fields or any(fnmatch.fnmatchcase(name, pattern) for pattern in dynamic)


def check(root: ET.Element) -> None:
    """Raise SchemaError when Solr or CKAN would refuse the schema."""
    if root.tag != "schema" or not (root.get("name") or "").startswith("ckan-"):
        raise SchemaError("the schema name must stay CKAN's (ckan-X.Y)")
    if (root.findtext("uniqueKey") or "").strip() != "index_id":
        raise SchemaError("the uniqueKey must stay index_id")
    type_names = [t.get("name") for t in root.iter() if _is_type(t)]
    if len(type_names) != len(set(type_names)):
        raise SchemaError("a field type is declared twice")
    declared = [f.get("name") for f in root.iter("field")]
    if len(declared) != len(set(declared)):
        raise SchemaError("a field is declared twice")
    for el in [*root.iter("field"), *root.iter("dynamicField")]:
        if el.get("type") not in type_names:
            raise SchemaError(f"field {el.get('name')} has an unknown type {el.get('type')}")
    dynamic = [d.get("name") for d in root.iter("dynamicField")]
    for copy in root.iter("copyField"):
        for end in (copy.get("source"), copy.get("dest")):
            if "*" not in end and not _matches(end, set(declared), dynamic):
                raise SchemaError(f"copyField names an undeclared field {end}")


def _prolog(ckan_schema: str) -> str:
    """The comments before CKAN's <schema> element (licence, version notes),
    which ElementTree does not keep, plus a note on the derivation."""
    with open(ckan_schema, encoding="utf-8") as source:
        text = source.read()
    start = text.find("?>") + 2 if text.lstrip().startswith("<?xml") else 0
    kept = text[start:text.find("<schema")].split("<!-- Derived from CKAN")[0].strip()
    note = ("<!-- Derived from CKAN's own schema.xml by config/solr/derive_schema.py:\n"
            "     CKAN's types, fields and copyFields unchanged, plus the portal's\n"
            "     Arabic/French/English analysis and per-language fields\n"
            "     (config/solr/opengov_fields.xml). Do not edit: rewritten by\n"
            "     scripts/services each time it writes a core's conf. -->")
    return "\n\n".join(part for part in (kept, note) if part) + "\n"


def write(tree: ET.ElementTree, conf_dir: str, prolog: str = "") -> str:
    """Write schema.xml atomically after parsing the bytes back."""
    os.makedirs(conf_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".schema-", suffix=".xml", dir=conf_dir)
    os.close(fd)
    try:
        body = ET.tostring(tree.getroot(), encoding="unicode")
        with open(tmp, "w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="UTF-8" ?>\n' + prolog + body + "\n")
        check(_parse(tmp).getroot())  # well-formed and still valid once written
        os.chmod(tmp, 0o644)
        target = os.path.join(conf_dir, "schema.xml")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    for name in RESOURCES:
        shutil.copyfile(os.path.join(HERE, name), os.path.join(conf_dir, name))
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        tree = derive(argv[1])
        check(tree.getroot())
        target = write(tree, argv[2], _prolog(argv[1]))
    except (OSError, ET.ParseError, SchemaError) as error:
        print(f"derive_schema: {error}", file=sys.stderr)
        return 1
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
