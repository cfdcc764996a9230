"""A small Quito corpus indexed by the PostgreSQL engine, through the action API."""
import pytest

from ckan.tests import factories

SPATIAL_CENTRO = ('{"type": "Polygon", "coordinates": [[[-78.52, -0.23], [-78.50, -0.23], '
                  '[-78.50, -0.21], [-78.52, -0.21], [-78.52, -0.23]]]}')
SPATIAL_TUMBACO = ('{"type": "Polygon", "coordinates": [[[-78.42, -0.23], [-78.38, -0.23], '
                   '[-78.38, -0.19], [-78.42, -0.19], [-78.42, -0.23]]]}')


@pytest.fixture
def corpus(clean_db, clean_index):
    """Two dependencies, a private dataset, tags, formats, extras and extents."""
    amb = factories.Organization(name="secretaria-de-ambiente", title="Secretaría de Ambiente", kind="secretaria")
    mov = factories.Organization(name="secretaria-de-movilidad", title="Secretaría de Movilidad", kind="secretaria")
    ds = {
        "agua": factories.Dataset(
            name="calidad-del-agua", title="Calidad del agua potable", owner_org=amb["id"],
            notes="Monitoreo de la calidad del agua en las parroquias del Distrito.",
            tags=[{"name": "agua"}, {"name": "ambiente"}], license_id="cc-by",
            resources=[{"url": "http://x/agua.csv", "format": "CSV", "name": "Mediciones 2016"}],
            extras=[{"key": "spatial", "value": SPATIAL_CENTRO}, {"key": "anio", "value": "2016"}]),
        "aire": factories.Dataset(
            name="calidad-del-aire", title="Índice de calidad del aire", owner_org=amb["id"],
            notes="Red Metropolitana de Monitoreo Atmosférico.",
            tags=[{"name": "aire"}, {"name": "ambiente"}], license_id="cc-by",
            resources=[{"url": "http://x/aire.json", "format": "JSON"}],
            extras=[{"key": "anio", "value": "2015"}]),
        "trole": factories.Dataset(
            name="paradas-trolebus", title="Paradas del Trolebús", owner_org=mov["id"],
            notes="Ubicación de las paradas del sistema Trolebús de Quito.",
            tags=[{"name": "transporte"}, {"name": "movilidad"}], license_id="odc-odbl",
            resources=[{"url": "http://x/paradas.zip", "format": "SHP"},
                       {"url": "http://x/paradas.csv", "format": "CSV"}]),
        "ciclovia": factories.Dataset(
            name="ciclovias", title="Red de ciclovías", owner_org=mov["id"],
            notes="Ciclovías y bicicleta pública en Tumbaco y el hipercentro.",
            tags=[{"name": "movilidad"}], license_id="cc-by",
            extras=[{"key": "spatial", "value": SPATIAL_TUMBACO}]),
        "privado": factories.Dataset(
            name="sumarios-internos", title="Sumarios internos de agua", owner_org=amb["id"],
            private=True, tags=[{"name": "agua"}]),
    }
    return {"orgs": {"amb": amb, "mov": mov}, "datasets": ds}
