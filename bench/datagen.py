"""Deterministic generator of *sample* CKAN datasets for benchmarks and load tests.

Every dataset is labelled as sample data: the tag ``datos-de-ejemplo``, the
extra ``sample_data = true`` and a closing sentence in its notes. Titles,
descriptions and tags are Spanish and refer to the Municipio del Distrito
Metropolitano de Quito (vocabularies in :mod:`bench.vocabulary`).

Usage::

    from bench.datagen import ORGANIZATIONS, generate
    for data_dict in generate(10_000, seed=2017):
        ...  # map data_dict["owner_org"] (an org name) to an id, then package_create

Only the standard library is used; the output depends on ``seed`` alone, and
``generate(n)`` is a prefix of ``generate(m)`` for ``n < m``. Nothing is fetched:
resource URLs point at paths that do not exist.
"""
from __future__ import annotations

import bisect
import itertools
import json
import random
import unicodedata
from typing import Iterator

from bench import vocabulary as v

SAMPLE_TAG = "datos-de-ejemplo"
SAMPLE_EXTRA = {"key": "sample_data", "value": "true"}
SAMPLE_SENTENCE = "(Datos de ejemplo generados para pruebas de rendimiento.)"
BASE_URL = "https://gobiernoabierto.quito.gob.ec/datos"
#: Bounding box (west, south, east, north) every ``spatial`` extra falls inside.
QUITO_BBOX = (-78.60, -0.40, -78.30, 0.05)
FIRST_YEAR, LAST_YEAR = 2010, 2026
PRIVATE_RATIO = 0.05
SPATIAL_RATIO = 0.10
#: Zipf exponent of the dataset count per organization (rank 1 publishes most).
ZIPF_EXPONENT = 1.0
#: Share of datasets whose category is one of their organization's own.
OWN_CATEGORY_RATIO = 0.8
#: Share of datasets titled from a category-specific template, when it has some.
SPECIFIC_TITLE_RATIO = 0.5
NAME_MAX = 100

ORGANIZATIONS: list[dict] = [{"name": name, "title": title} for name, title, _ in v.ORGANIZATION_SPECS]

TAG_VOCABULARY: tuple = tuple(dict.fromkeys(itertools.chain(v.GENERAL_TAGS, *v.CATEGORY_TAGS.values())))

_ORG_TITLES = {name: title for name, title, _ in v.ORGANIZATION_SPECS}
_ORG_CATEGORIES = {name: cats for name, _, cats in v.ORGANIZATION_SPECS}
_CATEGORIES = tuple(v.THEMES)
_GEO_FORMATS = ("GeoJSON", "SHP", "KML")
_RESOURCE_COUNT_CUM = tuple(itertools.accumulate((40, 30, 20, 10)))
_FORMAT_CUM = tuple(itertools.accumulate(v.FORMAT_WEIGHTS))
_LICENSE_CUM = tuple(itertools.accumulate(v.LICENSE_WEIGHTS))
_ORG_CUM = tuple(itertools.accumulate(1.0 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(ORGANIZATIONS))))
#: Placeholders drawn on demand from these sequences (see _Fields).
_DRAWS = {
    "parroquia": v.PARROQUIAS, "mes": v.MESES, "trimestre": v.TRIMESTRES, "zona": v.ZONAS,
    "etapa": v.ETAPAS, "sistema": v.SISTEMAS, "contaminante": v.CONTAMINANTES, "estacion": v.ESTACIONES,
    "avenida": v.AVENIDAS, "semana": range(1, 53), "frecuencia": v.FRECUENCIAS,
}
_ORG_NAMES = tuple(org["name"] for org in ORGANIZATIONS)
_MASK64 = (1 << 64) - 1
_ORG_SCALE = _ORG_CUM[-1] / 2.0 ** 64
#: Byte table keeping a-z and 0-9 and turning every other byte into a hyphen.
_SLUG_BYTES = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 else 45 for c in range(256))

FACETS = ["organization", "tags", "res_format", "license_id"]

#: Realistic citizen searches for ``package_search``. Copy a dict and pop its
#: "label" before calling (each dict owns its "facet.field" list).
TYPICAL_QUERIES: list[dict] = [
    {"label": "texto libre 'agua potable' con facetas", "q": "agua potable", "facet.field": FACETS, "rows": 20},
    {"label": "portada del catálogo: todo, lo más reciente primero", "q": "*:*", "facet.field": FACETS,
     "sort": "metadata_modified desc", "rows": 20},
    {"label": "'calidad del aire' filtrado por organización", "q": "calidad del aire",
     "fq": 'organization:"secretaria-de-ambiente"', "facet.field": FACETS, "rows": 20},
    {"label": "'presupuesto' filtrado por formato CSV", "q": "presupuesto", "fq": 'res_format:"CSV"',
     "facet.field": FACETS, "rows": 20},
    {"label": "'movilidad' ordenado por título", "q": "movilidad", "sort": "title_string asc", "rows": 20},
    {"label": "paginación profunda (start=2000)", "q": "*:*", "sort": "metadata_modified desc",
     "start": 2000, "rows": 20},
    {"label": "sin tilde: 'educacion'", "q": "educacion", "facet.field": FACETS, "rows": 20},
    {"label": "con tilde: 'educación'", "q": "educación", "facet.field": FACETS, "rows": 20},
    {"label": "consulta por campo: title:presupuesto", "q": "title:presupuesto", "rows": 20},
    {"label": "modificados en el último año", "q": "*:*", "fq": "metadata_modified:[NOW-1YEAR TO NOW]",
     "sort": "metadata_modified desc", "facet.field": FACETS, "rows": 20},
    {"label": "parroquia con eñe: 'Iñaquito'", "q": "Iñaquito", "rows": 20},
    {"label": "'trolebús' en transporte público, formato GeoJSON", "q": "trolebús",
     "fq": 'tags:"transporte público" AND res_format:"GeoJSON"', "facet.field": FACETS, "rows": 20},
    {"label": "transparencia LOTAIP por literal, orden alfabético", "q": "literal", "fq": 'tags:"lotaip"',
     "sort": "title_string asc", "rows": 50},
    {"label": "capas geográficas con licencia abierta", "q": "capa",
     "fq": '(res_format:"GeoJSON" OR res_format:"SHP" OR res_format:"KML") AND license_id:"cc-by"',
     "facet.field": FACETS, "rows": 20},
]
for _query in TYPICAL_QUERIES:
    if "facet.field" in _query:
        _query["facet.field"] = list(_query["facet.field"])
del _query


def _mix64(x: int) -> int:
    """SplitMix64 finaliser: a cheap, well-spread hash of a 64-bit integer."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def organization_for(i: int, seed: int = 2017) -> str:
    """Name of the organization owning dataset ``i``: Zipf-distributed over ORGANIZATIONS."""
    return _organization(i, _mix64(seed & _MASK64))


def _organization(i: int, seed_hash: int) -> str:
    u = _mix64(seed_hash ^ i) * _ORG_SCALE
    return _ORG_NAMES[bisect.bisect_right(_ORG_CUM, u)]


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated form of ``text`` (accents dropped)."""
    raw = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").lower().translate(_SLUG_BYTES)
    return b"-".join([part for part in raw.split(b"-") if part]).decode("ascii")


def _dataset_name(title: str, i: int) -> str:
    suffix = f"-{i}"
    stem = slugify(title)[: NAME_MAX - len(suffix)].rstrip("-") or "conjunto"
    return stem + suffix


def _category(rnd, org: str) -> str:
    own = _ORG_CATEGORIES[org]
    if rnd() < OWN_CATEGORY_RATIO:
        return own[int(rnd() * len(own))]
    return _CATEGORIES[int(rnd() * len(_CATEGORIES))]


class _Fields(dict):
    """Template placeholders of one dataset, each drawn on first use.

    Templates are chosen deterministically, so the order of the draws (and the
    output) depends on the seed alone; unused placeholders cost nothing.
    """

    def __init__(self, rnd, org: str, category: str):
        super().__init__()
        themes = v.THEMES[category]
        self["tema"] = tema = themes[int(rnd() * len(themes))]
        self["Tema"] = tema[0].upper() + tema[1:]
        self["dependencia"] = _ORG_TITLES[org]
        self.rnd = rnd
        self._years()

    def _years(self) -> None:
        rnd = self.rnd
        self["año"] = year = FIRST_YEAR + int(rnd() * (LAST_YEAR - FIRST_YEAR + 1))
        self["año_ini"] = start = min(year, LAST_YEAR - 1)
        self["año_sig"] = start + 1
        self["año_fin"] = end = min(LAST_YEAR, start + 1 + int(rnd() * 5))
        self["cobertura"] = str(year) if rnd() < 0.5 else f"{start}-{end}"

    def __missing__(self, key: str):
        if key in ("literal", "literal_desc"):
            self["literal"], self["literal_desc"] = self._draw(v.LITERALES)
            return self[key]
        value = self[key] = self._draw(_DRAWS[key])
        return value

    def _draw(self, seq):
        return seq[int(self.rnd() * len(seq))]


def _title(rnd, category: str, fields: dict) -> str:
    specific = v.CATEGORY_TITLES.get(category, ())
    pool = specific if specific and rnd() < SPECIFIC_TITLE_RATIO else v.GENERIC_TITLES
    return pool[int(rnd() * len(pool))].format_map(fields)


def _sample(rnd, seq, k: int) -> list:
    """``k`` distinct items of ``seq`` by rejection: cheaper than Random.sample for small ``k``."""
    size = len(seq)
    chosen = []
    while len(chosen) < k:
        item = seq[int(rnd() * size)]
        if item not in chosen:
            chosen.append(item)
    return chosen


def _notes(rnd, fields: dict) -> str:
    sentences = [v.INTRO_SENTENCES[int(rnd() * len(v.INTRO_SENTENCES))]]
    sentences += _sample(rnd, v.EXTRA_SENTENCES, int(rnd() * 4))
    sentences.append(SAMPLE_SENTENCE)
    return " ".join(sentences).format_map(fields)


def _tags(rnd, category: str) -> list:
    """2-6 vocabulary tags (mostly from the category) plus the sample-data tag."""
    own = v.CATEGORY_TAGS[category]
    n_own = 1 + int(rnd() * 3)
    n_general = 1 + int(rnd() * 3)
    names = _sample(rnd, own, n_own) + _sample(rnd, v.GENERAL_TAGS, n_general)
    names.append(SAMPLE_TAG)
    return [{"name": name} for name in names]


def spatial_polygon(rnd) -> str:
    """GeoJSON Polygon string of a small bounding box inside QUITO_BBOX."""
    west_min, south_min, east_max, north_max = QUITO_BBOX
    width, height = 0.01 + rnd() * 0.04, 0.01 + rnd() * 0.04
    west = round(west_min + rnd() * (east_max - west_min - 0.05), 5)
    south = round(south_min + rnd() * (north_max - south_min - 0.05), 5)
    east, north = round(west + width, 5), round(south + height, 5)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _extras(fields: dict, spatial: str | None) -> list:
    extras = [
        {"key": "frecuencia", "value": fields["frecuencia"]},
        {"key": "cobertura_temporal", "value": fields["cobertura"]},
        dict(SAMPLE_EXTRA),
    ]
    if spatial:
        extras.append({"key": "spatial", "value": spatial})
    return extras


def _resource_format(rnd, n: int, spatial: bool) -> str:
    if spatial and n == 1:
        return _GEO_FORMATS[int(rnd() * len(_GEO_FORMATS))]
    return v.FORMATS[bisect.bisect_right(_FORMAT_CUM, rnd() * _FORMAT_CUM[-1])]


def _resources(rnd, name: str, fields: dict, spatial: bool) -> list:
    count = 1 + bisect.bisect_right(_RESOURCE_COUNT_CUM, rnd() * _RESOURCE_COUNT_CUM[-1])
    resources = []
    for n in range(1, count + 1):
        fmt = fields["formato"] = _resource_format(rnd, n, spatial)
        names = v.RESOURCE_NAMES[fmt]
        description = v.RESOURCE_DESCRIPTIONS[int(rnd() * len(v.RESOURCE_DESCRIPTIONS))]
        resources.append({
            "name": names[int(rnd() * len(names))].format_map(fields),
            "description": description.format_map(fields),
            "url": f"{BASE_URL}/{name}/{n}.{v.EXTENSIONS[fmt]}",
            "format": fmt,
        })
    return resources


def _dataset(rnd, i: int, seed_hash: int) -> dict:
    org = _organization(i, seed_hash)
    category = _category(rnd, org)
    fields = _Fields(rnd, org, category)
    title = _title(rnd, category, fields)
    name = _dataset_name(title, i)
    spatial = spatial_polygon(rnd) if rnd() < SPATIAL_RATIO else None
    return {
        "name": name,
        "title": title,
        "notes": _notes(rnd, fields),
        "owner_org": org,
        "tags": _tags(rnd, category),
        "license_id": v.LICENSES[bisect.bisect_right(_LICENSE_CUM, rnd() * _LICENSE_CUM[-1])],
        "extras": _extras(fields, spatial),
        "private": rnd() < PRIVATE_RATIO,
        "resources": _resources(rnd, name, fields, spatial is not None),
    }


def generate(n: int, seed: int = 2017) -> Iterator[dict]:
    """Lazily yield ``n`` sample dataset dicts ready for ``package_create``.

    Deterministic for a given ``seed``; names are unique (they end in ``-<i>``).
    ``owner_org`` holds an organization *name* from ORGANIZATIONS.
    """
    rnd = random.Random(seed).random
    seed_hash = _mix64(seed & _MASK64)
    for i in range(n):
        yield _dataset(rnd, i, seed_hash)
