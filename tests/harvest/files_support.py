"""Helpers of the quito_files harvest tests: a dependency's published tree,
harvest sources through the API, and runs through ``ckan quito harvest run``'s
own runner."""
from __future__ import annotations

import json
import os
import re
import shutil

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.logic import harvest_run

PLUGINS = ("activity quito_search quito_datasets scheming_organizations dcat structured_data "
           "quito_gobiernoabierto harvest quito_files")
DEMO_FILES = package_path("data", "demo", "files")

#: Published tree (path at the source -> demo file with the content).
TREE = {
    "lotaip/2016/01/c-remuneraciones.csv": "lotaip-sgp-c-2016-01.csv",
    "lotaip/2016/07/c-remuneraciones.csv": "lotaip-sgp-c-2016-07.csv",
    "lotaip/2015/01/c-remuneraciones.csv": "lotaip-sgp-c-2015-01.csv",
    "Numeral 3/2024/01/Numeral 3 datos.csv": "lotaip-sgp-3-2024-01-datos.csv",
    "Numeral 3/2024/01/Numeral 3 metadatos.csv": "lotaip-sgp-3-2024-01-metadatos.csv",
    "Numeral 3/2024/01/Numeral 3 diccionario.csv": "lotaip-sgp-3-2024-01-diccionario.csv",
    "gtfs/gtfs-trolebus.zip": "gtfs-muestra-trolebus-ecovia.zip",
    "capas/estaciones-trolebus.geojson": "capa_geografica-estaciones-trolebus-muestra.geojson",
}


def publish(root, tree: dict = TREE) -> None:
    for path, demo in tree.items():
        target = os.path.join(root, *path.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(DEMO_FILES, demo), target)


def sysadmin_context() -> dict:
    user = factories.Sysadmin()
    return {"user": user["name"], "ignore_auth": False}


def create_source(url: str, org: dict, **config) -> dict:
    settings = dict({"kind": "listing"}, **config)
    return tk.get_action("harvest_source_create")(sysadmin_context(), {
        "name": "fuente-" + org["name"], "title": "Archivos de " + org["title"], "url": url,
        "source_type": "quito_files", "owner_org": org["id"], "config": json.dumps(settings)})


def run(source: dict) -> dict:
    return harvest_run.run(source["id"])


def datasets(org: dict) -> dict:
    found = tk.get_action("package_search")({"ignore_auth": True}, {
        "fq": f"owner_org:{org['id']}", "rows": 100, "include_private": True})
    return {d["name"]: d for d in found["results"]}


def harvest_ini(folder, ckan_config) -> str:
    """A configuration file for ``ckan`` commands run by a test: test.ini with
    the harvest plugins (a command loads the plugins of its file)."""
    ini = os.path.join(folder, "harvest.ini")
    with open(ckan_config["__file__"], encoding="utf-8") as f:
        text = f.read().replace("%(here)s", os.path.dirname(ckan_config["__file__"]))
    with open(ini, "w", encoding="utf-8") as f:
        f.write(re.sub(r"(?m)^ckan\.plugins = .*$", f"ckan.plugins = {PLUGINS}", text))
    return ini


def file_requests(server) -> list:
    """GET requests of files (not folders) the server answered."""
    return [path for method, path in server.log if method == "GET" and not path.endswith("/")]
