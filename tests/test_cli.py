"""``ckan quito demo load`` creates the demo sysadmin once and is idempotent."""
import pytest

import ckan.model as model
from ckan.cli.cli import ckan


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_demo_load_is_idempotent(cli):
    first = cli.invoke(ckan, ["quito", "demo", "load", "--admin-password", "Quito-demo-2026"])
    assert first.exit_code == 0, first.output
    assert "demo sysadmin: 1 created" in first.output
    assert "organigram: 50 created" in first.output
    user = model.User.get("admin")
    assert user.sysadmin and user.validate_password("Quito-demo-2026")

    second = cli.invoke(ckan, ["quito", "demo", "load", "--admin-password", "Quito-demo-2026"])
    assert second.exit_code == 0, second.output
    assert "demo sysadmin: 0 created, 0 updated" in second.output
    assert "organigram: 0 created, 0 updated, 50 unchanged, 0 problems" in second.output


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_demo_load_requires_a_password(cli, monkeypatch):
    monkeypatch.delenv("QUITO_ADMIN_PASSWORD", raising=False)
    result = cli.invoke(ckan, ["quito", "demo", "load"])
    assert result.exit_code != 0
    assert "admin-password" in result.output
    assert model.User.get("admin") is None
