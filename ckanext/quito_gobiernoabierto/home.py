"""The home page and the municipal theme: what the templates list.

* the dataset types as entry points, each with its number of datasets;
* the recently updated and the most downloaded datasets;
* the pillar navigation and the Spanish/English switch of the header.

Datasets are read only through ``package_search`` as the current user, like
the search pages do, so a visitor never sees a private dataset and a member
of a dependency sees the same counts on the home page as on ``/<type>``.

Downloads are counted by CKAN's ``tracking`` plugin: its script posts each
click on a resource link (``a.resource-url-analytics``) to ``/_tracking`` and
``ckan tracking update`` sums them per resource URL. Here the most
downloaded URLs are read from its summary table, their datasets searched as
the current user, and each dataset's downloads summed from the
``tracking_summary`` the plugin adds to every resource of a search result.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError

from ckanext.quito_gobiernoabierto.datasets import labels

log = logging.getLogger(__name__)

#: How many tracked resource URLs are considered for the most downloaded list.
DOWNLOAD_CANDIDATES = 50


# -- searching as the current user ---------------------------------------------
def _context() -> dict:
    user = tk.current_user
    return {"user": user.name if user and user.is_authenticated else ""}


def search(**params: Any) -> dict:
    """``package_search`` as the current user, private datasets included only
    where the search pages include them (for users who may see them)."""
    data = {"include_private": tk.config.get("ckan.search.default_include_private"), **params}
    try:
        return tk.get_action("package_search")(_context(), data)
    except (tk.ValidationError, SearchError) as error:  # logged, the page still shows
        log.warning("home page search failed: %s", error)
        return {"count": 0, "results": [], "facets": {}}


# -- dataset types ----------------------------------------------------------------
def type_search_url(dataset_type: str) -> str:
    """The search page of one type. ``/dataset`` lists every type when
    ``ckan.search.show_all_types`` is on, so that type is filtered to itself."""
    if dataset_type == "dataset":
        return tk.h.url_for("dataset.search", dataset_type="dataset")
    return tk.h.url_for(f"{dataset_type}.search")


def quito_type_entries() -> list[dict]:
    """Every dataset type with its translated plural label, search page and
    number of datasets the current user may see, in the schemas' order."""
    result = search(rows=0, **{"facet.field": ["dataset_type"], "facet.limit": -1})
    counts = result.get("facets", {}).get("dataset_type", {})
    return [{"type": name, "label": labels.plural_label(name), "count": int(counts.get(name, 0)),
             "url": type_search_url(name)}
            for name in (tk.h.scheming_dataset_schemas() or {})]


# -- recently updated -------------------------------------------------------------
def quito_recent_datasets(limit: int = 6) -> list[dict]:
    """The datasets modified last."""
    return search(rows=limit, sort="metadata_modified desc")["results"]


# -- most downloaded ----------------------------------------------------------------
def quito_downloads_counted() -> bool:
    """True if the ``tracking`` plugin counts resource downloads."""
    return p.plugin_loaded("tracking")


def top_download_urls(limit: int = DOWNLOAD_CANDIDATES) -> list[str]:
    """Resource URLs by their running total of downloads (the latest summary
    row of each URL), most downloaded first."""
    import sqlalchemy as sa
    from ckan import model
    from ckanext.tracking.model import TrackingSummary as summary

    latest = (sa.select(summary.url, summary.running_total)
              .where(summary.tracking_type == "resource")
              .distinct(summary.url)
              .order_by(summary.url, summary.tracking_date.desc())
              .subquery())
    stmt = (sa.select(latest.c.url).where(latest.c.running_total > 0)
            .order_by(latest.c.running_total.desc(), latest.c.url).limit(limit))
    return [row[0] for row in model.Session.execute(stmt)]


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def downloads_of(dataset: dict) -> int:
    """The downloads of a dataset: the sum over its resources of the totals
    the tracking plugin adds to search results."""
    return sum(int((r.get("tracking_summary") or {}).get("total") or 0) for r in dataset.get("resources", []))


def quito_most_downloaded(limit: int = 6) -> list[dict]:
    """The datasets whose resources were downloaded most, each with
    ``quito_downloads``; empty if downloads are not counted."""
    if not quito_downloads_counted():
        return []
    urls = top_download_urls()
    if not urls:
        return []
    fq = "res_url:(" + " OR ".join(_quoted(u) for u in urls) + ")"
    found = search(fq=fq, rows=len(urls))["results"]
    for dataset in found:
        dataset["quito_downloads"] = downloads_of(dataset)
    ranked = sorted((d for d in found if d["quito_downloads"] > 0),
                    key=lambda d: (-d["quito_downloads"], d.get("title") or d["name"]))
    return ranked[:limit]


# -- header: pillars and languages ------------------------------------------------------
def _nav_items() -> list[dict]:
    transparency = [
        ("/transparencia/lotaip", tk._("Transparency law (LOTAIP)")),
        ("/transparencia/concejo-abierto", tk._("Open Council")),
        ("/transparencia/proyectos-emblematicos", tk._("Emblematic projects")),
        ("/transparencia/presupuesto-abierto", tk._("Open budget")),
    ]
    return [
        {"path": "/transparencia", "label": tk._("Transparency"),
         "children": [{"path": path, "label": label} for path, label in transparency]},
        {"path": "/participacion", "label": tk._("Participation"), "children": []},
        {"path": "/colaboracion", "label": tk._("Collaboration"), "children": []},
        {"path": "/dataset", "label": tk._("Open data"), "children": []},
        {"path": "/organigrama", "label": tk._("Organigram"), "children": []},
    ]


def _current_path() -> str:
    try:
        return tk.request.path.rstrip("/") or "/"
    except RuntimeError:  # outside a request
        return "/"


def _mark(item: dict, here: str) -> dict:
    """The item with its URL in the current language, ``current`` (this very
    page) and ``active`` (a page of its section)."""
    path = item["path"]
    marked = {**item, "url": tk.h.url_for(path), "current": here == path,
              "active": here == path or here.startswith(path + "/")}
    if item.get("children"):
        marked["children"] = [_mark(child, here) for child in item["children"]]
        marked["active"] = marked["active"] or any(c["active"] for c in marked["children"])
    return marked


def quito_pillar_nav() -> list[dict]:
    """The header's main navigation: the pillars, open data and the organigram."""
    here = _current_path()
    return [_mark(item, here) for item in _nav_items()]


def _autonym(code: str) -> str:
    from babel import Locale

    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def quito_language_links() -> list[dict]:
    """The same page in each offered language: ``code``, ``name`` (in that
    language), ``url`` and ``current``."""
    default = tk.config.get("ckan.locale_default") or "en"
    current = tk.h.lang() or default
    here = tk.h.current_url()
    links = []
    for code in tk.aslist(tk.config.get("ckan.locales_offered")) or [default]:
        url = tk.h.url_for(here, locale="default" if code == default else code)
        links.append({"code": code, "name": _autonym(code), "url": url, "current": code == current})
    return links


def quito_content_lang() -> str:
    """The language of the catalogue's own texts (titles, names): the site's
    default, marked with ``lang`` where a page is shown in another language."""
    return tk.config.get("ckan.locale_default") or "es"


def quito_type_label(dataset: dict) -> Optional[str]:
    """The translated label of a dataset's type, for the home page lists."""
    return labels.type_label(dataset.get("type") or "dataset")


def all_helpers() -> dict:
    return {
        "quito_type_entries": quito_type_entries,
        "quito_recent_datasets": quito_recent_datasets,
        "quito_most_downloaded": quito_most_downloaded,
        "quito_downloads_counted": quito_downloads_counted,
        "quito_pillar_nav": quito_pillar_nav,
        "quito_language_links": quito_language_links,
        "quito_type_label": quito_type_label,
        "quito_content_lang": quito_content_lang,
    }
