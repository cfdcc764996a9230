"""A plain (non-editable) ``pip install .`` ships schemas, translations and harvesters."""
import glob
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT

NS = "ckanext/quito_gobiernoabierto"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build the wheel from a copy of the tree, so no build residue lands in the repository."""
    src = tmp_path_factory.mktemp("src") / "project"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "var", "__pycache__", "artifacts"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(src)],
        check=True,
    )
    return glob.glob(str(out / "*.whl"))[0]


def test_wheel_maps_root_folders_into_the_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for po in glob.glob(os.path.join(ROOT, "i18n", "*", "LC_MESSAGES", "*.po")):
        rel = os.path.relpath(po, ROOT)
        assert f"{NS}/{rel}" in names
        assert f"{NS}/{rel[:-3]}.mo" in names
    assert f"{NS}/harvesters/__init__.py" in names
    assert f"{NS}/harvesters/files/harvester.py" in names
    assert f"{NS}/harvesters/geoportal/__init__.py" in names
    assert f"{NS}/inspectors/__init__.py" in names
    assert f"{NS}/config_declaration.yaml" in names
    assert f"{NS}/search/config_declaration.yaml" in names
    assert f"{NS}/migration/quito_search/alembic.ini" in names
    assert f"{NS}/data/organigrama-dmq.yaml" in names
    assert f"{NS}/templates/organigram/index.html" in names
    for schema in glob.glob(os.path.join(ROOT, "schemas", "*.yaml")):
        assert f"{NS}/schemas/{os.path.basename(schema)}" in names
    assert not any(n.startswith(("schemas/", "i18n/", "harvesters/", "tests/")) for n in names)


def test_fresh_venv_lists_shipped_files(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    subprocess.run([sys.executable, "-m", "pip", "--python", py, "install", "-q", "--no-deps", wheel], check=True)
    listing = subprocess.run(
        [py, "-c", "import os, ckanext.quito_gobiernoabierto as q; "
                   "[print(os.path.relpath(os.path.join(d, f), q.HERE)) "
                   "for d, _, fs in os.walk(q.HERE) for f in fs]"],
        check=True, capture_output=True, text=True, cwd=str(tmp_path),
    ).stdout.split()
    assert "i18n/es/LC_MESSAGES/ckanext-quito_gobiernoabierto.mo" in listing
    assert "i18n/en/LC_MESSAGES/ckanext-quito_gobiernoabierto.mo" in listing
    assert "harvesters/__init__.py" in listing
    assert "harvesters/files/harvester.py" in listing
    assert all(os.path.join("schemas", os.path.basename(s)) in listing
               for s in glob.glob(os.path.join(ROOT, "schemas", "*.yaml")))
