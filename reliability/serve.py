"""The portal on loopback: pre-forked processes, each a multi-threaded werkzeug server.

    python -m reliability.serve --config var/reliability/reliability.ini --port 55080 --processes 2

The parent binds the socket, builds the app once through the extension's WSGI
entry point (``create_application``: CKAN's app, start-up heap frozen), then
forks ``--processes`` children that accept on the shared socket, each with a
thread per request (the shape of ``gunicorn --preload -w 2 --threads``, which
is not installed here). SIGTERM stops the children. Request lines are not
logged; errors (tracebacks of 5xx) go to stderr.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import sys

from werkzeug.serving import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    """No access log (the load client measures every request)."""

    def log_request(self, *args, **kwargs):
        pass


def listen(port: int) -> socket.socket:
    """The listening socket on loopback, inherited by the workers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(256)
    sock.set_inheritable(True)
    return sock


def build_app(config: str):
    """The app, with the database pool emptied so that no connection crosses a fork."""
    from ckanext.quito_gobiernoabierto.wsgi import create_application
    from ckan.model import meta

    app = create_application(config)
    warm(app)
    meta.engine.dispose()
    return app


def warm(app) -> None:
    """One page in the parent, through the whole middleware stack, so the web
    assets are built once before the workers fork (the WSGI entry creates
    webassets' cache folder; building the bundles themselves in several
    workers at once can still race, "Cannot find version of <Bundle>")."""
    from werkzeug.test import Client

    response = Client(app).get("/dataset/")
    if response.status_code != 200:
        print(f"warm-up: /dataset/ answered {response.status_code}", file=sys.stderr)


def die_with_parent() -> None:
    """Linux: SIGTERM this worker when the parent dies, even by SIGKILL (no orphan keeps the port)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def child(app, sock: socket.socket) -> None:
    """Serve on the inherited socket until killed."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler, fd=sock.fileno())
    server.serve_forever()


def fork_children(app, sock: socket.socket, count: int) -> list[int]:
    """Fork ``count`` workers serving ``app`` on ``sock``; their pids."""
    pids = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            try:
                child(app, sock)
            finally:
                os._exit(0)
        pids.append(pid)
    return pids


def main(argv=None) -> int:
    """Bind, build the app, fork, and wait for the workers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    sock = listen(args.port)
    pids = fork_children(build_app(args.config), sock, args.processes)

    def stop(signum, frame):
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in pids:
        pid, status = os.wait()
        print(f"serve: worker {pid} ended (status {status})", file=sys.stderr, flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
