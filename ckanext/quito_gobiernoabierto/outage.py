"""Outages of the services CKAN needs answer ``503 Service Unavailable``.

While PostgreSQL restarts, or when the harvest queue (Redis) is down, a
request cannot be served; that is not the visitor's fault (4xx) nor a bug of
the portal (500). The answer is a 503 with ``Retry-After`` and a translated
message, as JSON under ``/api/`` and as a short page elsewhere (no template:
templates call helpers that need the database).

- A database error that means "no connection" (refused, closed, the server
  shutting down or starting up) is recognised on the exception itself and,
  for the action API (which turns every exception into a 500 before Flask
  sees it), by an engine ``handle_error`` listener that flags the request.
- Code that finds the harvest queue unavailable raises
  :class:`ServiceUnavailable` (and flags the request the same way).

Any other error stays what it was.
"""
from __future__ import annotations

import json
import logging
from typing import Optional

import flask
import psycopg2
import psycopg2.errors
import sqlalchemy as sa
from markupsafe import escape

from ckan.plugins.toolkit import _

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait, per cause.
RETRY_AFTER = {"database": 5, "queue": 30}
#: SQLSTATEs of a connection that is gone or not accepted yet (08: connection
#: exception; 57P: the server shutting down, crashed, or still starting up).
UNAVAILABLE_CODES = ("08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03")
UNAVAILABLE_ERRORS = tuple(psycopg2.errors.lookup(code) for code in UNAVAILABLE_CODES)


class ServiceUnavailable(Exception):
    """A service the request needs is down; ``cause`` is a key of RETRY_AFTER."""

    def __init__(self, message: str, cause: str = "queue"):
        super().__init__(message)
        self.cause = cause


def is_unavailable(error: BaseException) -> bool:
    """True when a database error means the server cannot be reached."""
    if isinstance(error, sa.exc.DBAPIError):
        if error.connection_invalidated:
            return True
        error = error.orig
    if isinstance(error, UNAVAILABLE_ERRORS):
        return True
    # libpq's own failures (refused, closed unexpectedly) carry no SQLSTATE
    return type(error) is psycopg2.OperationalError and error.pgcode is None


def flag(cause: str) -> None:
    """Remember, for this request, that a service it needs was down."""
    if flask.has_request_context():
        flask.g.quito_unavailable = cause


def _on_engine_error(context) -> None:
    if context.is_disconnect or is_unavailable(context.original_exception):
        flag("database")


def message(cause: str) -> str:
    if cause == "database":
        return _("The portal cannot answer right now: its database is not available. "
                 "Please try again in a few seconds.")
    return _("The harvest queue is not available, so nothing was queued. Please try again in a few minutes.")


def error_response(status: int, error_type: str, title: str, text: str) -> flask.Response:
    """An error answered by the portal itself: CKAN's JSON error under the
    action API, a plain translated page elsewhere (no template: the database
    or the request may be what failed)."""
    if flask.request.path.startswith("/api/"):
        body = json.dumps({"success": False, "error": {"__type": error_type, "message": text}})
        return flask.Response(body, status=status, content_type="application/json;charset=utf-8")
    page = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
            f"<body><main><h1>{escape(title)}</h1><p>{escape(text)}</p></main></body></html>")
    return flask.Response(page, status=status, content_type="text/html;charset=utf-8")


def response(cause: str, text: Optional[str] = None) -> flask.Response:
    """The 503 answer, JSON for the action API, a plain page elsewhere."""
    out = error_response(503, "Service Unavailable", _("Service temporarily unavailable"), text or message(cause))
    out.headers["Retry-After"] = str(RETRY_AFTER.get(cause, 30))
    out.headers["Cache-Control"] = "no-store"
    return out


def _handle_database_error(error: sa.exc.DBAPIError):
    if not is_unavailable(error):
        raise error
    log.warning("database unavailable: %s", error.orig)
    return response("database")


def _handle_unavailable(error: ServiceUnavailable):
    return response(error.cause, str(error))


def _after_request(out: flask.Response) -> flask.Response:
    cause = flask.g.get("quito_unavailable")
    if out.status_code == 500 and cause:
        return response(cause)
    return out


def install(app) -> None:
    """Wire the handlers into CKAN's Flask app (once per app) and the
    listener on every SQLAlchemy engine (once per process)."""
    if not sa.event.contains(sa.engine.Engine, "handle_error", _on_engine_error):
        sa.event.listen(sa.engine.Engine, "handle_error", _on_engine_error)
    app.register_error_handler(sa.exc.DBAPIError, _handle_database_error)
    app.register_error_handler(ServiceUnavailable, _handle_unavailable)
    app.after_request(_after_request)
