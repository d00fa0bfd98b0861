"""The fields one front matter has beyond the model's, with their types: made once when
a file is parsed and kept (in the index cache), so that listing the fields of many files
(`newscli fields`, a `--where` on a field only some files have, CSV's columns) needs no
second parse of each.

A field map is compact JSON, ``[typed, leaves]`` or ``[typed, leaves, names]``:
``typed`` maps each dotted path whose value is not null to its type (``any`` when one
file disagrees with itself), walking nested mappings and not lists, as the typed front
matter gives them; ``leaves`` lists the paths of the values that are no mapping, and
``names`` every path, as the export JSON gives them (the front matter after JSON: keys
as text, non-finite numbers null). ``names`` is there only where the two views differ;
otherwise it is the keys of ``typed``. None when there is nothing beyond the model.
Names the model has (MODEL_NAMES, all known to the field catalogue) are left out.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

STRING, INTEGER, NUMBER, BOOLEAN = "string", "integer", "number", "boolean"
DATETIME, LIST, STRINGS, MAPPING, ANY = "datetime", "list", "list[string]", "mapping", "any"

# Front-matter paths of the model (select.fields.KNOWN has every one: a test checks).
MODEL_NAMES = frozenset(
    (
        "title", "excerpt", "publishedDateTime", "updatedDateTime", "originalUrl", "webUrl",
        "ampWebUrl", "cdnAmpWebUrl", "type", "category", "categories", "quality", "heat",
        "published", "provider", "provider.name", "provider.domain", "topics", "tags",
        "locale", "images", "related", "secured",
    )
)  # fmt: skip


def type_of(value: Any) -> str:
    """The catalogue type name of a loaded value."""
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, date):  # datetimes too
        return DATETIME
    if isinstance(value, dict):
        return MAPPING
    if isinstance(value, list):
        return STRINGS if value and all(isinstance(v, str) for v in value) else LIST
    return ANY


def merge(found: dict[str, str], name: str, kind: str) -> None:
    """Note that ``name`` has type ``kind`` (``any`` once two types were seen)."""
    found[name] = kind if found.get(name, kind) == kind else ANY


class _Walk:
    """One walk over a front matter: typed paths, leaf paths, and whether the export
    JSON would name them the same."""

    def __init__(self) -> None:
        self.typed: dict[str, str] = {}
        self.leaves: set[str] = set()
        self.plain = True  # keys all text, no non-finite number: JSON names them alike

    def visit(self, prefix: str, mapping: Mapping[Any, Any]) -> None:
        for key, value in mapping.items():
            if not isinstance(key, str) or (isinstance(value, float) and not math.isfinite(value)):
                self.plain = False
            name = f"{prefix}{key}"
            if value is not None and name not in MODEL_NAMES:
                merge(self.typed, name, type_of(value))
                if not isinstance(value, dict):
                    self.leaves.add(name)
            if isinstance(value, dict):
                self.visit(name + ".", value)


_PROVIDER_NAMES = frozenset(("name", "domain"))
# Values that are neither walked into nor written as null by JSON (lists are not walked).
_LEAF_KINDS = frozenset((str, int, bool, type(None), list, date, datetime))


def _model_only(data: Mapping[Any, Any]) -> bool:
    """True when the front matter has no field beyond the model's and no number JSON
    would write as null (the usual article): then its field map is None. Told without
    the walk: the names, then one look at the type of each value."""
    if not data.keys() <= MODEL_NAMES:
        return False
    for key, value in data.items():
        if value.__class__ not in _LEAF_KINDS:
            if value.__class__ is not dict or key != "provider":
                return False
            if not value.keys() <= _PROVIDER_NAMES:
                return False
            for inner in value.values():
                if inner.__class__ not in _LEAF_KINDS:
                    return False
    return True


def field_map(data: Mapping[Any, Any], export_json: str) -> str | None:
    """The field map of a front matter (``data``, typed) whose export JSON is given."""
    if _model_only(data):  # the usual article: nothing to walk
        return None
    walk = _Walk()
    walk.visit("", data)
    if walk.plain:
        if not walk.typed:
            return None
        return json.dumps([walk.typed, sorted(walk.leaves)])
    exported = _Walk()
    exported.visit("", json.loads(export_json))
    parts = [walk.typed, sorted(exported.leaves), sorted(exported.typed)]
    return json.dumps(parts)


@lru_cache(maxsize=1024)  # (field maps repeat: each distinct one looked at once)
def well_formed(text: object) -> bool:
    """Whether a stored field map has the shape field_map() gives (h152: valid JSON of
    another shape, `[1]`, was an internal error in every run that listed fields)."""
    if type(text) is not str:
        return False
    try:
        parts = json.loads(text)
    except ValueError:
        return False
    if not (isinstance(parts, list) and len(parts) in (2, 3) and isinstance(parts[0], dict)):
        return False
    typed = all(type(k) is str and type(v) is str for k, v in parts[0].items())
    return typed and all(
        isinstance(names, list) and all(type(n) is str for n in names) for names in parts[1:]
    )
