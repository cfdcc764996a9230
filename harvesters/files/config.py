"""The ``quito_files`` source configuration: parsed, validated, explained.

A source's configuration is a JSON object (the harvest source form's
"Configuration" box); every key but ``kind`` is optional::

    {
      "kind": "listing",                  // listing | manifest | folder
      "dependency": "secretaria-general-de-planificacion",
      "layout": "lotaip",                 // auto | lotaip | gtfs | capa_geografica
                                          //  | presupuesto | indicador | dataset
      "rules": [{"pattern": "^poa/(?P<year>\\\\d{4})/.*\\\\.csv$",
                 "type": "plan_operativo", "guid": "poa-{year}",
                 "title": "POA {year}", "fields": {"year": "{year}"}}],
      "default_type": "dataset",
      "license_id": "cc-by-4.0",
      "fields": {"frequency": "http://publications.europa.eu/resource/authority/frequency/MONTHLY"},
      "resources": "upload",              // upload (a copy here) | link (to the source)
      "update": "always",                 // always | never (create only)
      "removed": "keep",                  // keep | delete: datasets whose files are gone
      "max_removals": 0.5,                // never remove more than this share in one run
      "include": ["*.csv", "*.pdf"], "exclude": ["borradores/*"],
      "max_depth": 6, "max_files": 20000,
      "max_file_size": "200MB", "timeout": 30
    }

``dependency`` defaults to the harvest source's own organization. Errors are
collected (all of them, each naming its key) and raised as one ``ValueError``
whose message ckanext-harvest shows under the form field.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ckan.plugins.toolkit import _

KINDS = ("listing", "manifest", "folder")
LAYOUTS = ("auto", "lotaip", "gtfs", "capa_geografica", "presupuesto", "indicador", "dataset")
RESOURCE_MODES = ("upload", "link")
UPDATE_POLICIES = ("always", "never")
REMOVAL_POLICIES = ("keep", "delete")
RULE_KEYS = {"pattern", "type", "guid", "title", "fields"}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?B?)\s*$", re.I)
#: The largest ``max_file_size`` (1 TB): beyond it the number is a typo.
MAX_SIZE = 1024 ** 4
_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "M": 1024 ** 2, "MB": 1024 ** 2, "G": 1024 ** 3, "GB": 1024 ** 3}


@dataclass
class Rule:
    pattern: re.Pattern
    dataset_type: str
    guid: str
    title: Optional[str] = None
    fields: dict = field(default_factory=dict)


@dataclass
class SourceConfig:
    kind: str
    dependency: Optional[str] = None
    layout: str = "auto"
    rules: list = field(default_factory=list)
    default_type: str = "dataset"
    license_id: Optional[str] = None
    fields: dict = field(default_factory=dict)
    resources: str = "upload"
    update: str = "always"
    removed: str = "keep"
    max_removals: float = 0.5
    include: list = field(default_factory=list)
    exclude: list = field(default_factory=list)
    max_depth: int = 6
    max_files: int = 20000
    max_file_size: int = 200 * 1024 ** 2
    timeout: float = 30.0


class ConfigErrors(ValueError):
    """All the problems of one configuration, one line each."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def parse(text: Optional[str], known_types: Optional[set] = None) -> SourceConfig:
    """The configuration in ``text``, or ``ConfigErrors`` listing every problem.
    ``known_types``: the dataset types this portal serves (checked when given)."""
    data = _load(text)
    errors: list[str] = []
    unknown = sorted(set(data) - set(SourceConfig.__dataclass_fields__) - {"kind"})
    if unknown:
        errors.append(_("Unknown setting(s): {names}.").format(names=", ".join(unknown)))
    values = {"kind": _choice(data, "kind", KINDS, errors, required=True)}
    values.update(_choices(data, errors))
    values.update(_numbers(data, errors))
    values.update(_texts(data, errors))
    values["rules"] = _rules(data.get("rules", []), errors)
    _check_types(values, known_types, errors)
    if errors:
        raise ConfigErrors(errors)
    return SourceConfig(**{k: v for k, v in values.items() if v is not None})


def load_json(text: str) -> Any:
    """The JSON in ``text``, or ``ConfigErrors`` (bad syntax, nesting too deep)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ConfigErrors([_("The configuration is not valid JSON: it is nested too deeply.")])
    except ValueError as error:
        raise ConfigErrors([_("The configuration is not valid JSON: {error}.").format(error=error)])


def _load(text: Optional[str]) -> dict:
    if not isinstance(text, str) or not text.strip():
        raise ConfigErrors([_('The configuration is empty: give at least {"kind": "listing"}.')])
    data = load_json(text)
    if not isinstance(data, dict):
        raise ConfigErrors([_("The configuration must be a JSON object ({...}).")])
    return data


def _choice(data: dict, key: str, allowed: tuple, errors: list, required: bool = False) -> Optional[str]:
    value = data.get(key)
    if value is None:
        if required:
            errors.append(_('"{key}" is required: one of {allowed}.').format(key=key, allowed=", ".join(allowed)))
        return None
    if value not in allowed:
        errors.append(_('"{key}" must be one of {allowed} (got "{value}").').format(
            key=key, allowed=", ".join(allowed), value=value))
        return None
    return value


def _choices(data: dict, errors: list) -> dict:
    return {"layout": _choice(data, "layout", LAYOUTS, errors),
            "resources": _choice(data, "resources", RESOURCE_MODES, errors),
            "update": _choice(data, "update", UPDATE_POLICIES, errors),
            "removed": _choice(data, "removed", REMOVAL_POLICIES, errors)}


def _number(data: dict, key: str, low: float, high: float, errors: list, kind=int) -> Optional[Any]:
    value = data.get(key)
    if value is None:
        return None
    not_finite = isinstance(value, float) and not math.isfinite(value)
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not_finite
            or (kind is int and value != int(value))):
        errors.append(_('"{key}" must be a number.').format(key=key))
        return None
    if not low <= value <= high:
        errors.append(_('"{key}" must be between {low} and {high}.').format(key=key, low=low, high=high))
        return None
    return kind(value)


def _numbers(data: dict, errors: list) -> dict:
    return {"max_removals": _number(data, "max_removals", 0, 1, errors, float),
            "max_depth": _number(data, "max_depth", 0, 20, errors),
            "max_files": _number(data, "max_files", 1, 1_000_000, errors),
            "timeout": _number(data, "timeout", 1, 600, errors, float),
            "max_file_size": _size(data.get("max_file_size"), errors)}


def _size(value: Any, errors: list) -> Optional[int]:
    """Bytes from 1048576, "200MB", "1.5 GB"."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_SIZE:
        return value
    match = _SIZE.match(value) if isinstance(value, str) else None
    size = float(match.group(1)) * _UNITS[match.group(2).upper()] if match else 0
    if not 0 < size <= MAX_SIZE:
        errors.append(_('"max_file_size" must be a size such as 200MB or a number of bytes.'))
        return None
    return int(size)


def _text(data: dict, key: str, errors: list) -> Optional[str]:
    value = data.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        errors.append(_('"{key}" must be a non-empty text.').format(key=key))
        return None
    return value.strip() if value else None


def _texts(data: dict, errors: list) -> dict:
    out = {key: _text(data, key, errors) for key in ("dependency", "default_type", "license_id")}
    for key in ("include", "exclude"):
        value = data.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) and v for v in value)):
            errors.append(_('"{key}" must be a list of file patterns such as "*.csv".').format(key=key))
            value = None
        out[key] = value
    value = data.get("fields")
    if value is not None and not isinstance(value, dict):
        errors.append(_('"fields" must be an object of dataset fields.'))
        value = None
    out["fields"] = value
    return out


def _rules(value: Any, errors: list) -> list:
    if not isinstance(value, list):
        errors.append(_('"rules" must be a list of rules.'))
        return []
    return [rule for rule in (_rule(i + 1, item, errors) for i, item in enumerate(value)) if rule]


def _rule(number: int, item: Any, errors: list) -> Optional[Rule]:
    where = _("Rule {number}").format(number=number)
    if not isinstance(item, dict) or not {"pattern", "type", "guid"} <= set(item):
        errors.append(_('{where}: a rule needs "pattern", "type" and "guid".').format(where=where))
        return None
    if set(item) - RULE_KEYS:
        errors.append(_("{where}: unknown key(s) {names}.").format(
            where=where, names=", ".join(sorted(set(item) - RULE_KEYS))))
    if not _rule_values_ok(where, item, errors):
        return None
    try:
        pattern = re.compile(item["pattern"])
    except (re.error, OverflowError, RecursionError) as error:
        errors.append(_('{where}: "pattern" is not a valid regular expression: {error}.').format(
            where=where, error=error))
        return None
    missing = _missing_groups(pattern, [item["guid"], item.get("title") or ""] + _field_templates(item))
    if missing:
        errors.append(_("{where}: the templates use {names}, which the pattern does not capture.").format(
            where=where, names=", ".join("{%s}" % m for m in missing)))
        return None
    return Rule(pattern, str(item["type"]), str(item["guid"]), item.get("title"), dict(item.get("fields") or {}))


def _rule_values_ok(where: str, item: dict, errors: list) -> bool:
    """Texts for pattern, type, guid and title; an object for fields."""
    texts = ["pattern", "type", "guid"] + (["title"] if item.get("title") is not None else [])
    wrong = [key for key in texts if not isinstance(item[key], str)]
    if wrong:
        errors.append(_("{where}: {names} must be text.").format(where=where, names=", ".join(wrong)))
    if item.get("fields") is not None and not isinstance(item["fields"], dict):
        errors.append(_('{where}: "fields" must be an object of dataset fields.').format(where=where))
        return False
    return not wrong


def _field_templates(item: dict) -> list[str]:
    fields = item.get("fields") or {}
    return [v for v in fields.values() if isinstance(v, str)] if isinstance(fields, dict) else []


def _missing_groups(pattern: re.Pattern, templates: list[str]) -> list[str]:
    used = {name for template in templates for name in re.findall(r"{(\w+)}", template)}
    return sorted(used - set(pattern.groupindex) - {"path", "stem", "ext", "dependency"})


def _check_types(values: dict, known_types: Optional[set], errors: list) -> None:
    if not known_types:
        return
    wanted = {values.get("default_type") or "dataset"} | {r.dataset_type for r in values["rules"]}
    for name in sorted(wanted - known_types):
        errors.append(_('Unknown dataset type "{name}"; this portal has {types}.').format(
            name=name, types=", ".join(sorted(known_types))))
