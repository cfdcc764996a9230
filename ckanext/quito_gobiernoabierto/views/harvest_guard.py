"""ckanext-harvest's views that change a source, kept to forms.

ckanext-harvest 1.6.3 serves ``/harvest/refresh/<id>`` and
``/harvest/clear/<id>`` for GET as well as POST, and ``/harvest/delete/<id>``
(``?clear=True`` also removes the source's datasets) and
``/harvest/<source>/job/<id>/abort`` for GET only. A plain link or an image
on any other site would make a logged-in steward's browser run, clear,
delete or stop a source: session cookies go along with top-level GET
requests. Here these views refuse GET (405), answer POST (added for Stop,
which has none; Delete's POST is CKAN's own view of the harvest dataset type)
and check the CSRF token of the POST, which CKAN does not do for extensions'
views (``ckan.csrf_protection.ignore_extensions``). The
buttons that lead to them post a form with the token: CKAN's
``confirm-action`` module for Reharvest, Clear and Delete, and the Stop
button of ``templates/source/admin_base.html``.
"""
from __future__ import annotations

import flask
from werkzeug.exceptions import MethodNotAllowed

import ckan.plugins.toolkit as tk

#: Endpoints that change a source and answer GET upstream.
GUARDED = frozenset({"harvester.refresh", "harvester.clear", "harvester.delete", "harvester.job_abort"})
#: Of those, the ones upstream serves for GET only and nothing else takes a
#: POST for: they get a POST rule. (A POST to ``/harvest/delete/<id>`` already
#: goes to CKAN's own delete view of the ``harvest`` dataset type, which
#: checks the CSRF token; the source edit form's Delete button posts there.)
GET_ONLY = {"harvester.job_abort": "/harvest/<source>/job/<id>/abort"}


def refuse_unsafe_requests():
    """``before_request``: None lets the request through."""
    if flask.request.endpoint not in GUARDED:
        return None
    if flask.request.method != "POST":
        # tk.abort(405, text) would take the text for the allowed methods
        raise MethodNotAllowed(valid_methods=["POST"], description=tk._(
            "This action changes the harvest source: use its button on the source's page."))
    from ckan.config.middleware.flask_app import csrf

    csrf.protect()
    return None


def accept_posts(app) -> None:
    """A POST rule for each view upstream serves for GET only (same view)."""
    for endpoint, rule in GET_ONLY.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=["POST"])


def install(app) -> None:
    """Guard the views when ckanext-harvest is loaded."""
    import ckan.plugins as p

    if p.plugin_loaded("harvest"):
        accept_posts(app)
        app.before_request(refuse_unsafe_requests)
