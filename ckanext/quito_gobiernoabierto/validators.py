"""Validators of the extension (registered by the portal plugin).

Every message is translatable; an invalid value is rejected with a message
naming what is expected, never silently dropped.
"""
from __future__ import annotations

import re
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import Missing

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{7,25}$")
HANDLE_RE = re.compile(r"^@?[A-Za-z0-9_]{1,30}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)


def _blank(value: Any) -> bool:
    return value is None or isinstance(value, Missing) or str(value).strip() == ""


def _stripped(value: Any) -> str:
    return "" if _blank(value) else str(value).strip()


def quito_email(value: Any, context) -> Any:
    value = _stripped(value)
    if value and not EMAIL_RE.match(value):
        raise tk.Invalid(tk._("Enter a valid e-mail address, e.g. nombre@quito.gob.ec."))
    return value


def quito_phone(value: Any, context) -> Any:
    value = _stripped(value)
    digits = re.sub(r"\D", "", value)
    if value and (not PHONE_RE.match(value) or not 7 <= len(digits) <= 15):
        raise tk.Invalid(tk._("Enter a phone number of 7 to 15 digits, e.g. +593 2 395 2300."))
    return value


def quito_phone_extension(value: Any, context) -> Any:
    value = _stripped(value)
    if value and (not value.isdigit() or len(value) > 6):
        raise tk.Invalid(tk._("A phone extension has 1 to 6 digits."))
    return value


def quito_url(value: Any, context) -> Any:
    value = _stripped(value)
    if value and not URL_RE.match(value):
        raise tk.Invalid(tk._("Enter a web address starting with http:// or https://."))
    return value


def quito_social_handle(value: Any, context) -> Any:
    value = _stripped(value)
    if value and not HANDLE_RE.match(value):
        raise tk.Invalid(tk._("Enter an account name such as @MunicipioQuito (letters, digits and _)."))
    return "@" + value.lstrip("@") if value else ""


def ruc_is_valid(ruc: str) -> bool:
    """Ecuador's RUC: 13 digits, a province code, the entity's check digit, an
    establishment number (001...)."""
    if not re.fullmatch(r"\d{13}", ruc) or ruc[10:] == "000":
        return False
    province, third = int(ruc[:2]), int(ruc[2])
    if not (1 <= province <= 24 or province == 30):
        return False
    if third == 6:  # public entities: modulo 11 over 8 digits, check digit 9th
        return _mod11(ruc[:8], (3, 2, 7, 6, 5, 4, 3, 2)) == int(ruc[8])
    if third == 9:  # private companies: modulo 11 over 9 digits, check digit 10th
        return _mod11(ruc[:9], (4, 3, 2, 7, 6, 5, 4, 3, 2)) == int(ruc[9])
    if third < 6:  # natural persons: the cédula's modulo 10
        return _mod10(ruc[:9]) == int(ruc[9])
    return False


def _mod11(digits: str, weights: tuple) -> int:
    rest = sum(int(d) * w for d, w in zip(digits, weights)) % 11
    return 0 if rest == 0 else 11 - rest


def _mod10(digits: str) -> int:
    total = 0
    for i, d in enumerate(digits):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def quito_ruc(value: Any, context) -> Any:
    value = _stripped(value)
    if value and not ruc_is_valid(value):
        raise tk.Invalid(tk._("Enter a valid RUC: 13 digits with a correct check digit, e.g. 1760003410001."))
    return value


def quito_parent_organization(key, data, errors, context) -> None:
    """The parent dependency: an existing organization, not the dependency
    itself nor one of its descendants. It is stored as the organization's
    parent in CKAN's group hierarchy (``groups``), so ``group_tree`` shows it."""
    value = data.get(key)
    if _blank(value):
        data[key] = ""
        return
    parent = model.Group.get(str(value).strip())
    if parent is None or not parent.is_organization or parent.state != "active":
        errors[key].append(tk._("The parent dependency does not exist."))
        return
    own_id, own_name = data.get(("id",)), data.get(("name",))
    if parent.id == own_id or parent.name == own_name:
        errors[key].append(tk._("A dependency cannot be its own parent."))
        return
    ancestors = [g.id for g in parent.get_parent_group_hierarchy(type="organization")]
    if own_id and own_id in ancestors:
        errors[key].append(tk._("That parent would create a cycle in the organigram."))
        return
    data[key] = parent.name


def quito_parent_to_hierarchy(key, data, errors, context) -> None:
    """After validation: the ``parent`` field is the one source of the
    organization's parent group (``groups``), which CKAN stores as a member row."""
    for k in [k for k in data if k and k[0] == "groups"]:
        del data[k]
    parent = data.get(("parent",))
    if _blank(parent):
        data[("groups",)] = []  # explicit: also under partial updates (patch)
    elif not errors.get(("parent",)):
        data[("groups", 0, "name")] = parent
        data[("groups", 0, "capacity")] = "parent"


def all_validators() -> dict:
    return {name: fn for name, fn in globals().items() if name.startswith("quito_") and callable(fn)}
