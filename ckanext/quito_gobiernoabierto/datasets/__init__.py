"""Quito dataset types: schema composition, facets and each type's own logic.

Each type with logic of its own has a module here (``lotaip.py``,
``geo.py``...) that may define:

- ``VALIDATORS``: a dict of scheming/CKAN validators, by name;
- ``HELPERS``: a dict of template helpers (e.g. ``choices_helper`` sources).

The portal plugin registers them all; adding a module is enough.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Callable


def _modules():
    for info in pkgutil.iter_modules(__path__):
        yield importlib.import_module(f"{__name__}.{info.name}")


def _collect(attr: str) -> dict[str, Callable[..., Any]]:
    out: dict[str, Callable[..., Any]] = {}
    for module in _modules():
        for name, fn in getattr(module, attr, {}).items():
            if name in out:
                raise ValueError(f"{attr} name {name!r} is defined twice ({module.__name__})")
            out[name] = fn
    return out


def validators() -> dict[str, Callable[..., Any]]:
    return _collect("VALIDATORS")


def helpers() -> dict[str, Callable[..., Any]]:
    return _collect("HELPERS")
