"""Translations: Spanish and English catalogues are complete and compiled."""
import glob
import os

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import ROOT

DOMAIN = "ckanext-quito_gobiernoabierto"


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _catalog(lang, ext):
    path = os.path.join(ROOT, "i18n", lang, "LC_MESSAGES", f"{DOMAIN}.{ext}")
    with open(path, "rb") as f:
        return (read_po if ext == "po" else read_mo)(f)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_catalogue_is_complete(lang):
    missing = [m.id for m in _catalog(lang, "po")
               if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert not missing, f"untranslated in {lang}: {missing}"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_compiled_catalogue_matches_source(lang):
    po = {_key(m.id): _key(m.string) for m in _catalog(lang, "po") if m.id}
    mo = {_key(m.id): _key(m.string) for m in _catalog(lang, "mo") if m.id}
    assert po == mo, "run scripts/i18n.sh compile"


def test_both_languages_have_the_same_messages():
    es = {_key(m.id) for m in _catalog("es", "po") if m.id}
    en = {_key(m.id) for m in _catalog("en", "po") if m.id}
    assert es == en


def test_shipped_languages():
    langs = sorted(os.path.basename(os.path.dirname(os.path.dirname(p)))
                   for p in glob.glob(os.path.join(ROOT, "i18n", "*", "LC_MESSAGES", "*.po")))
    assert langs == ["en", "es"]


def test_every_source_message_is_in_the_catalogues(tmp_path):
    """Strings marked for translation in code, templates and schemas are all translated."""
    import subprocess
    import sys

    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "extract_messages.py"), str(pot), ROOT],
                   cwd=ROOT, check=True)
    with open(pot, "rb") as f:
        source = {_key(m.id) for m in read_po(f) if m.id}
    for lang in ("es", "en"):
        known = {_key(m.id) for m in _catalog(lang, "po") if m.id}
        assert source <= known, f"{lang} lacks {sorted(source - known)[:20]}"
