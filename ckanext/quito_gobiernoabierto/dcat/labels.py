"""Labels of schema values (type names, choices) as language-tagged literals,
English from the schema and Spanish from the extension's compiled catalogue."""
from __future__ import annotations

import functools

from babel.support import NullTranslations, Translations
from rdflib import Literal

from ckanext.quito_gobiernoabierto import package_path

DOMAIN = "ckanext-quito_gobiernoabierto"


@functools.lru_cache(maxsize=4)
def _catalogue(lang: str):
    return Translations.load(package_path("i18n"), [lang], DOMAIN) or NullTranslations()


def literals(msgid: str) -> list[Literal]:
    """The English label and, when the catalogue has it, the Spanish one."""
    if not msgid:
        return []
    out = [Literal(msgid, lang="en")]
    spanish = _catalogue("es").gettext(msgid)
    if spanish and spanish != msgid:
        out.append(Literal(spanish, lang="es"))
    return out
