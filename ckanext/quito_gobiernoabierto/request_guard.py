"""Requests carrying text no database can store are answered ``400``.

PostgreSQL refuses a NUL character, and UTF-8 half a surrogate pair, in any
text. A query parameter, form field or JSON value holding one reaches CKAN
core code that passes it to SQL unchecked (``/organization/?q=%00``,
``group_list``, ``tag_list``...), and the driver's error is a 500. No client
has a reason to send them: every request is checked once, before any view,
and refused with a translated message (JSON under ``/api/``). The bodies of
the dataset, resource and search actions are left to those actions, which
name the field at fault (409).
"""
from __future__ import annotations

from typing import Any, Iterable

import flask

from ckan.plugins.toolkit import _

from ckanext.quito_gobiernoabierto import outage
from ckanext.quito_gobiernoabierto.storable import storable


def _texts(value: Any) -> Iterable[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _body_checked_by_its_action(request: flask.Request) -> bool:
    """Dataset, resource and search actions check their own input and name
    the field at fault (``logic/input_guard.py``)."""
    from ckanext.quito_gobiernoabierto.logic import input_guard

    action = (request.view_args or {}).get("logic_function")
    return request.blueprint == "api" and action in input_guard.GUARDED_ACTIONS


def _request_texts(request: flask.Request) -> Iterable[str]:
    for key, values in request.args.lists():
        yield key
        yield from values
    if _body_checked_by_its_action(request):
        return
    for key, values in request.form.lists():
        yield key
        yield from values
    if request.is_json:
        yield from _texts(request.get_json(silent=True))


def refusal() -> flask.Response:
    text = _("The request contains characters that are not allowed (NUL or an unpaired surrogate).")
    return outage.error_response(400, "Bad Request", _("Bad request"), text)


def _check_request():
    if flask.request.endpoint is None:
        return None  # no view (404, 405, or a middleware's own path such as /_tracking, which reads the body)
    if not all(storable(text) for text in _request_texts(flask.request)):
        return refusal()
    return None


def install(app) -> None:
    """Check every request of CKAN's Flask app before its view runs."""
    app.before_request(_check_request)
