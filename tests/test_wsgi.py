"""The portal's WSGI entry point serves CKAN with the start-up objects frozen."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROBE = """
import gc, sys
from ckanext.quito_gobiernoabierto import wsgi
before = gc.get_freeze_count()
app = wsgi.application
assert wsgi.application is app  # built once
client = app._wsgi_app.test_client()
response = client.get("/api/3/action/status_show")
print(before, gc.get_freeze_count() > 100000, response.status_code, response.json["success"])
"""


def _run(env_ini):
    env = {k: v for k, v in os.environ.items() if k != "CKAN_INI"}
    if env_ini:
        env["CKAN_INI"] = env_ini
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_application_is_ckan_with_a_frozen_heap():
    result = _run(os.path.join(ROOT, "test.ini"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["0", "True", "200", "True"]


def test_application_needs_a_configuration():
    result = _run(None)
    assert result.returncode != 0
    assert "Set CKAN_INI" in result.stderr


def test_main_serves_the_frozen_app(monkeypatch):
    from ckanext.quito_gobiernoabierto import wsgi

    served, built = {}, []
    monkeypatch.setattr(wsgi, "create_application", lambda path: built.append(path) or "app")
    monkeypatch.setattr("werkzeug.serving.run_simple",
                        lambda host, port, app, **kw: served.update(host=host, port=port, app=app, **kw))
    wsgi.main(["--config", "portal.ini", "--host", "0.0.0.0", "--port", "5050"])
    assert built == ["portal.ini"]
    assert served == {"host": "0.0.0.0", "port": 5050, "app": "app", "threaded": True, "use_reloader": False}
