"""Packaging for ckanext-quito-gobiernoabierto.

The root folders ``schemas/``, ``i18n/`` and ``harvesters/`` live beside the
package for readability, but they ship *inside* it: ``package_dir`` maps them
into the ``ckanext.quito_gobiernoabierto`` namespace so a plain
``pip install .`` carries the dataset schemas, the compiled translations and
the harvesters.
"""
from setuptools import find_namespace_packages, setup

NS = "ckanext.quito_gobiernoabierto"
MAPPED = {f"{NS}.schemas": "schemas", f"{NS}.i18n": "i18n", f"{NS}.harvesters": "harvesters"}

packages = find_namespace_packages(include=["ckanext.*"], exclude=["*.tests", "*.tests.*", "*.__pycache__", f"{NS}.templates*", f"{NS}.public*", f"{NS}.assets*", f"{NS}.data*"])
packages += list(MAPPED)
# The harvesters' sub-packages (harvesters/files -> ckanext.quito_gobiernoabierto.harvesters.files).
packages += [f"{NS}.harvesters.{sub}" for sub in find_namespace_packages(where="harvesters", exclude=["*__pycache__*"])]

setup(
    name="ckanext-quito-gobiernoabierto",
    version="0.1.0",
    description="Open-data catalogue of the Portal de Gobierno Abierto, Municipio del DM de Quito",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    packages=packages,
    package_dir={"": ".", **MAPPED},
    package_data={
        NS: ["config_declaration.yaml", "search/config_declaration.yaml", "datasets/config_declaration.yaml", "templates/**/*", "public/**/*", "assets/**/*", "data/**/*",
             "migration/*/alembic.ini", "migration/*/script.py.mako", "migration/*/README"],
        f"{NS}.schemas": ["*.yaml", "*.json", "datasets/*.yaml"],
        f"{NS}.i18n": ["*.pot", "*/LC_MESSAGES/*.po", "*/LC_MESSAGES/*.mo"],
        f"{NS}.harvesters": ["*.yaml", "*/*.yaml"],
    },
    include_package_data=True,
    zip_safe=False,
    install_requires=[],
    entry_points={
        "ckan.plugins": [
            f"quito_gobiernoabierto = {NS}.plugins.portal:QuitoPortalPlugin",
            f"quito_search = {NS}.plugins.search:QuitoSearchPlugin",
            f"quito_datasets = {NS}.plugins.datasets:QuitoDatasetsPlugin",
            f"quito_dcat_harvest = {NS}.plugins.harvest_dcat:QuitoDCATHarvestPlugin",
            f"quito_files = {NS}.harvesters.files.harvester:QuitoFilesHarvester",
            f"quito_geoportal = {NS}.harvesters.geoportal.harvester:QuitoGeoportalHarvester",
            f"quito_map_view = {NS}.plugins.map_view:QuitoMapViewPlugin",
            f"quito_chart_view = {NS}.plugins.chart_view:QuitoChartViewPlugin",
            f"quito_pdf_view = {NS}.plugins.pdf_view:QuitoPdfViewPlugin",
        ],
        "babel.extractors": ["ckan = ckan.lib.extract:extract_ckan"],
        "ckan.rdf.profiles": [f"quito_dcat_ap = {NS}.dcat.profiles.quito_dcat_ap:QuitoDCATAPProfile"],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
        "schemas": [("**.yaml", "ckan", None)],
        "harvesters": [("**.py", "python", None)],
    },
)
