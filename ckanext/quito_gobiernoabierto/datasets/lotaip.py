"""LOTAIP transparency publications (``lotaip``): one dataset per dependency,
literal (2004 law) or numeral (2023 law) and year, with a resource per month
(under the 2023 law, three per month: dataset, metadata and dictionary).

The literal must belong to the chosen law, the year must fall in that law's
period, and a dependency publishes each literal of each year only once
(checked against the database, not the search index). Name and title default
to the canonical ones (``lotaip-<dependency>-<literal>-<year>``).
"""
from __future__ import annotations

import functools
import re
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from babel import support
from sqlalchemy.orm import aliased

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.datasets.common import blank
from ckanext.quito_gobiernoabierto.datasets.lotaip_catalogue import REGIMES, item, regime_of

DATASET_TYPE = "lotaip"
I18N_DOMAIN = "ckanext-quito_gobiernoabierto"


# ----------------------------------------------------------------- labels

def subject(regime: str, code: str) -> str:
    """The translated subject of a literal or numeral."""
    found = item(regime, code)
    if found is None or found.subject is None:
        return tk._("Literal {code}").format(code=code)
    return tk._(found.subject)


def literal_label(code: str) -> str:
    regime = regime_of(code)
    return f"{code} – {subject(regime.key, code)}" if regime else code


def quito_lotaip_literal_choices(field: Optional[dict] = None) -> list[dict]:
    """Choices of the literal field: both laws' items, "a1 – Organigrama…"."""
    return [{"value": i.code, "label": literal_label(i.code), "regime": r.key}
            for r in REGIMES.values() for i in r.items]


def quito_lotaip_literal_groups() -> list[dict]:
    """The literal choices grouped by law, for the form's option groups."""
    choices = quito_lotaip_literal_choices()
    return [{"regime": r.key, "label": tk._(r.label), "choices": [c for c in choices if c["regime"] == r.key]}
            for r in REGIMES.values()]


def regime_label(regime: str) -> str:
    found = REGIMES.get(str(regime))
    return tk._(found.label) if found else str(regime)


# -------------------------------------------------------- canonical names

def quito_lotaip_canonical_name(org_name: str, literal: str, year: Any) -> str:
    """``lotaip-<dependency>-<literal>-<year>``; numerals get an ``n``: ``n1-2-1-3``."""
    code = re.sub(r"[^a-z0-9]+", "-", str(literal).lower()).strip("-")
    if code[:1].isdigit():
        code = "n" + code
    return f"lotaip-{org_name}-{code}-{year}"


@functools.lru_cache(maxsize=4)
def _catalogue(locale: str) -> support.NullTranslations:
    return support.Translations.load(package_path("i18n"), [locale], I18N_DOMAIN)


def quito_lotaip_canonical_title(org_title: str, regime: str, literal: str, year: Any) -> str:
    """E.g. "LOTAIP 2016, literal c: Remuneración mensual por puesto (Secretaría…)",
    in the portal's default language whatever the user's (titles are content)."""
    found, law = item(regime, literal), REGIMES.get(str(regime))
    translations = _catalogue(tk.config.get("ckan.locale_default") or "es")
    text = f": {translations.gettext(found.subject)}" if found and found.subject else ""
    return f"LOTAIP {year}, {law.kind if law else 'literal'} {literal}{text} ({org_title})"


# ------------------------------------------------------- checks after fields

def _value(data: dict, errors: dict, name: str) -> Optional[str]:
    """A top-level field's value, or None if it is blank or has errors."""
    value = data.get((name,))
    return None if blank(value) or errors.get((name,)) else str(value).strip()


def _error(errors: dict, key: tuple, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _check_literal(data: dict, errors: dict, regime: str) -> None:
    literal = _value(data, errors, "lotaip_literal")
    if literal is None or item(regime, literal):
        return
    _error(errors, ("lotaip_literal",), tk._(
        "“{value}” is not a literal or numeral of {regime}. Choose one of: {codes}.").format(
        value=literal, regime=regime_label(regime), codes=", ".join(i.code for i in REGIMES[regime].items)))


def _check_year(data: dict, errors: dict, regime: str) -> None:
    year, law = _value(data, errors, "lotaip_year"), REGIMES[regime]
    if year is None:
        return
    if law.last_year is not None and not law.first_year <= int(year) <= law.last_year:
        _error(errors, ("lotaip_year",), tk._("Under {regime} the year must be between {first} and {last}.").format(
            regime=regime_label(regime), first=law.first_year, last=law.last_year))
    elif int(year) < law.first_year:
        _error(errors, ("lotaip_year",), tk._("Under {regime} the year must be {first} or later.").format(
            regime=regime_label(regime), first=law.first_year))


def _organization(value: Any) -> Optional[model.Group]:
    group = model.Group.get(str(value).strip()) if not blank(value) else None
    return group if group is not None and group.is_organization else None


def _own_id(data: dict, context: dict) -> Optional[str]:
    package = context.get("package")
    return getattr(package, "id", None) or (None if blank(data.get(("id",))) else str(data[("id",)]))


def existing_publication(org_id: str, regime: str, literal: str, year: str,
                         own_id: Optional[str] = None) -> Optional[model.Package]:
    """The active lotaip dataset of this dependency, law, literal and year (other than ``own_id``)."""
    pkg = model.Package
    query = model.Session.query(pkg).filter(pkg.type == DATASET_TYPE, pkg.state == "active",
                                            pkg.owner_org == org_id)
    for name, value in (("lotaip_regime", regime), ("lotaip_literal", literal), ("lotaip_year", year)):
        extra = aliased(model.PackageExtra)
        query = query.join(extra, extra.package_id == pkg.id).filter(
            extra.key == name, extra.value == value, extra.state == "active")
    if own_id:
        query = query.filter(pkg.id != own_id)
    return query.first()


def _check_unique(data: dict, errors: dict, context: dict, regime: str) -> None:
    literal, year = _value(data, errors, "lotaip_literal"), _value(data, errors, "lotaip_year")
    org = _organization(_value(data, errors, "owner_org"))
    if literal is None or year is None or org is None:
        return
    other = existing_publication(org.id, regime, literal, year, _own_id(data, context))
    if other is not None:
        _error(errors, ("lotaip_literal",), tk._(
            "{dependency} already has a publication of {literal} for {year} under {regime}: "
            "dataset “{title}” ({name}). Update that dataset instead.").format(
            dependency=org.title or org.name, literal=literal, year=year, regime=regime_label(regime),
            title=other.title or other.name, name=other.name))


def _month(value: Any) -> Optional[int]:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _check_roles(data: dict, errors: dict, regime: str) -> None:
    """File roles belong to the 2023 law, where every file has one, once per month."""
    seen: set = set()
    indexes = sorted({k[1] for k in data if len(k) == 3 and k[0] == "resources"})
    for index in indexes:
        key = ("resources", index, "lotaip_file_role")
        role, month = data.get(key), _month(data.get(("resources", index, "month")))
        if errors.get(key):
            continue
        if regime != "2023" and not blank(role):
            _error(errors, key, tk._("File roles (dataset, metadata, dictionary) belong to {regime}; "
                                     "leave the role empty under {other}.").format(
                regime=regime_label("2023"), other=regime_label(regime)))
        elif regime == "2023" and blank(role):
            _error(errors, key, tk._("Under {regime} each file of a month is its dataset, metadata or "
                                     "dictionary: choose the role.").format(regime=regime_label("2023")))
        elif regime == "2023" and month is not None and (month, str(role)) in seen:
            _error(errors, key, tk._("That month already has a file with this role."))
        seen.add((month, str(role)))


def quito_lotaip_checks(key, data, errors, context):
    """After the fields: literal and year fit the law; one dataset per
    dependency, law, literal and year; file roles fit the law."""
    regime = _value(data, errors, "lotaip_regime")
    if regime not in REGIMES:
        return
    _check_literal(data, errors, regime)
    _check_year(data, errors, regime)
    _check_unique(data, errors, context, regime)
    _check_roles(data, errors, regime)


# ------------------------------------------------------ name and title

def _canonical_parts(data: dict) -> Optional[tuple]:
    """(organization, regime, literal, year) if they are all given and valid."""
    regime, literal, year = (str(data.get((n,)) or "").strip()
                             for n in ("lotaip_regime", "lotaip_literal", "lotaip_year"))
    org = _organization(data.get(("owner_org",)))
    if org is None or item(regime, literal) is None or not re.fullmatch(r"\d{4}", year):
        return None
    return org, regime, literal, year


def quito_lotaip_default_name(key, data, errors, context):
    """A new dataset without a name gets the canonical one."""
    parts = _canonical_parts(data)
    if blank(data.get(key)) and not _own_id(data, context) and parts:
        org, _regime, literal, year = parts
        data[key] = quito_lotaip_canonical_name(org.name, literal, year)


def quito_lotaip_default_title(key, data, errors, context):
    """A dataset without a title gets the canonical one."""
    parts = _canonical_parts(data)
    if blank(data.get(key)) and parts:
        org, regime, literal, year = parts
        data[key] = quito_lotaip_canonical_title(org.title or org.name, regime, literal, year)


VALIDATORS = {
    "quito_lotaip_checks": quito_lotaip_checks,
    "quito_lotaip_default_name": quito_lotaip_default_name,
    "quito_lotaip_default_title": quito_lotaip_default_title,
}

HELPERS = {
    "quito_lotaip_literal_choices": quito_lotaip_literal_choices,
    "quito_lotaip_literal_groups": quito_lotaip_literal_groups,
    "quito_lotaip_canonical_name": quito_lotaip_canonical_name,
    "quito_lotaip_canonical_title": quito_lotaip_canonical_title,
}
