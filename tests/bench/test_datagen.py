"""The sample-data generator behind the benchmarks: deterministic, valid, labelled."""
import collections
import functools
import itertools
import json
import re
import time
import types

from bench import datagen, vocabulary

NAME_RE = re.compile(r"^[a-z0-9_-]{2,100}$")
TAG_RE = re.compile(r"^[\w \-.]{2,100}$")
ACCENTS = "áéíóúñ"
URL_RE = re.compile(r"^https://gobiernoabierto\.quito\.gob\.ec/datos/([a-z0-9_-]+)/([1-4])\.[a-z]+$")


@functools.lru_cache(maxsize=1)
def sample_20k():
    return tuple(datagen.generate(20_000))


def extras_of(dataset):
    return {extra["key"]: extra["value"] for extra in dataset["extras"]}


def test_same_seed_gives_same_output():
    assert list(datagen.generate(500, seed=11)) == list(datagen.generate(500, seed=11))
    assert list(datagen.generate(500)) == list(sample_20k()[:500])


def test_other_seed_gives_other_output():
    titles = [d["title"] for d in datagen.generate(200, seed=1)]
    assert titles != [d["title"] for d in datagen.generate(200, seed=2)]


def test_generate_is_lazy():
    assert isinstance(datagen.generate(10**9), types.GeneratorType)
    assert len(list(itertools.islice(datagen.generate(10**9), 3))) == 3


def test_names_are_unique_over_20000():
    names = [d["name"] for d in sample_20k()]
    assert len(set(names)) == len(names) == 20_000


def test_names_are_valid_ckan_names():
    bad = [d["name"] for d in sample_20k() if not NAME_RE.match(d["name"])]
    assert bad == []


def test_every_dataset_is_labelled_as_sample_data():
    for d in sample_20k():
        assert {"name": datagen.SAMPLE_TAG} in d["tags"]
        assert extras_of(d)["sample_data"] == "true"
        assert d["notes"].endswith("(Datos de ejemplo generados para pruebas de rendimiento.)")


def test_titles_use_spanish_accents():
    titles = [d["title"] for d in sample_20k()]
    with_accent = [t for t in titles if any(ch in t.lower() for ch in ACCENTS)]
    assert len(with_accent) > 0.3 * len(titles)
    assert set(ACCENTS) <= set("".join(titles).lower())


def test_titles_are_varied_and_mention_quito_places_and_years():
    datasets = sample_20k()
    assert len({d["title"] for d in datasets}) > 0.6 * len(datasets)
    text = " ".join(d["title"] + " " + d["notes"] for d in datasets)
    assert sum(p in text for p in vocabulary.PARROQUIAS) >= 30
    years = {int(y) for y in re.findall(r"\b(20\d\d)\b", text)}
    assert years == set(range(2010, 2027))


def test_organizations_are_valid_and_known():
    names = [org["name"] for org in datagen.ORGANIZATIONS]
    assert 35 <= len(names) == len(set(names))
    assert all(NAME_RE.match(n) for n in names)
    assert all(org["title"] for org in datagen.ORGANIZATIONS)
    assert {d["owner_org"] for d in sample_20k()} <= set(names)


def test_organizations_are_zipf_skewed():
    counts = collections.Counter(d["owner_org"] for d in sample_20k())
    ranked = [n for n, _ in counts.most_common()]
    assert len(counts) == len(datagen.ORGANIZATIONS)
    assert counts[ranked[0]] > 10 * counts[ranked[-1]]
    assert ranked[0] == datagen.ORGANIZATIONS[0]["name"]


def test_organization_for_matches_generate():
    for i, d in enumerate(datagen.generate(1_000, seed=5)):
        assert datagen.organization_for(i, seed=5) == d["owner_org"]


def test_spatial_extras_are_polygons_inside_quito():
    west, south, east, north = datagen.QUITO_BBOX
    spatial = [extras_of(d)["spatial"] for d in sample_20k() if "spatial" in extras_of(d)]
    assert 0.07 < len(spatial) / 20_000 < 0.13
    for value in spatial:
        geometry = json.loads(value)
        assert geometry["type"] == "Polygon"
        (ring,) = geometry["coordinates"]
        assert len(ring) == 5 and ring[0] == ring[-1]
        for lon, lat in ring:
            assert west <= lon <= east and south <= lat <= north


def test_private_ratio_is_about_five_percent():
    private = sum(d["private"] for d in sample_20k())
    assert all(isinstance(d["private"], bool) for d in sample_20k())
    assert 0.035 < private / 20_000 < 0.065


def test_tags_are_valid_and_from_the_vocabulary():
    assert 130 <= len(datagen.TAG_VOCABULARY) <= 180
    for d in sample_20k()[:5_000]:
        names = [t["name"] for t in d["tags"]]
        assert len(names) == len(set(names))
        assert 2 <= len(names) - 1 <= 6
        for name in names:
            assert TAG_RE.match(name) and name == name.lower()
            assert name in datagen.TAG_VOCABULARY or name == datagen.SAMPLE_TAG


def test_notes_have_one_to_four_sentences():
    for d in sample_20k()[:5_000]:
        body = d["notes"][: -len(datagen.SAMPLE_SENTENCE)]
        assert 1 <= body.count(". ") + body.rstrip().endswith(".") <= 5
        assert "{" not in d["notes"] and "{" not in d["title"]


def test_resources_licenses_and_extras():
    formats = collections.Counter()
    for d in sample_20k()[:5_000]:
        assert d["license_id"] in ("cc-by", "cc-by-sa", "odc-odbl", "cc-zero", "other-open")
        assert {"frecuencia", "cobertura_temporal", "sample_data"} <= set(extras_of(d))
        assert 1 <= len(d["resources"]) <= 4
        for n, res in enumerate(d["resources"], 1):
            match = URL_RE.match(res["url"])
            assert match and match.groups() == (d["name"], str(n))
            assert res["name"] and res["description"]
            formats[res["format"]] += 1
    assert set(formats) == {"CSV", "XLSX", "JSON", "GeoJSON", "SHP", "PDF", "KML", "ZIP"}
    assert formats.most_common(1)[0][0] == "CSV"


def test_typical_queries_are_labelled_search_params():
    queries = datagen.TYPICAL_QUERIES
    assert 10 <= len(queries) <= 16
    for query in queries:
        assert query["label"] and "q" in query
    params = [{k: v for k, v in q.items() if k != "label"} for q in queries]
    assert any(p.get("start", 0) >= 2000 for p in params)
    assert {"educacion", "educación", "title:presupuesto"} <= {p["q"] for p in params}
    assert any("NOW-1YEAR" in p.get("fq", "") for p in params)


def test_generates_100000_datasets():
    started = time.perf_counter()
    count = sum(1 for _ in datagen.generate(100_000))
    print(f"generated 100,000 sample datasets in {time.perf_counter() - started:.2f} s")
    assert count == 100_000
