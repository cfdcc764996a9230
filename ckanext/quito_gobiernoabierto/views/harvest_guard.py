"""ckanext-harvest's "Reharvest" and "Clear" buttons, kept to forms.

ckanext-harvest 1.6.3 serves ``/harvest/refresh/<id>`` and
``/harvest/clear/<id>`` for GET as well as POST. Its buttons post a form with
the CSRF token (CKAN's ``confirm-action`` module), but a plain link or an
image on any other site would make a logged-in steward's browser run or clear
a source: session cookies go along with top-level GET requests. Here those
two views refuse GET (405) and check the CSRF token of the POST, which CKAN
does not do for extensions' views (``ckan.csrf_protection.ignore_extensions``).
"""
from __future__ import annotations

import flask

import ckan.plugins.toolkit as tk

#: Endpoints that change a source and also answer GET upstream.
GUARDED = frozenset({"harvester.refresh", "harvester.clear"})


def refuse_unsafe_requests():
    """``before_request``: None lets the request through."""
    if flask.request.endpoint not in GUARDED:
        return None
    if flask.request.method != "POST":
        return tk.abort(405, tk._("This action changes the harvest source: use its button on the source's page."))
    from ckan.config.middleware.flask_app import csrf

    csrf.protect()
    return None


def install(app) -> None:
    """Guard the views when ckanext-harvest is loaded."""
    import ckan.plugins as p

    if p.plugin_loaded("harvest"):
        app.before_request(refuse_unsafe_requests)
