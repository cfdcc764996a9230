"""CKAN extension for the Portal de Gobierno Abierto of the Municipio del
Distrito Metropolitano de Quito."""
import importlib
import os

HERE = os.path.dirname(os.path.abspath(__file__))
#: Root folders of the repository that setup.py maps into this package.
MAPPED = ("schemas", "i18n", "harvesters")


def package_path(*parts: str) -> str:
    """Absolute path of a file shipped inside the package.

    ``schemas``, ``i18n`` and ``harvesters`` are resolved through the import
    system, so the path is right both in an installed wheel (where they sit
    inside the package) and in an editable install (where they stay at the
    repository root).
    """
    if parts and parts[0] in MAPPED:
        sub = importlib.import_module(f"{__name__}.{parts[0]}")
        return os.path.join(list(sub.__path__)[0], *parts[1:])
    return os.path.join(HERE, *parts)
