"""Who manages harvest sources on the portal (chained over the existing checks).

ckanext-harvest treats a source as a dataset of type ``harvest``: a
dependency's editors and admins manage the sources of their dependency, and
that stays so. Two gaps are closed here:

- A source without a dependency falls under CKAN's rules for unowned
  datasets, which let any logged-in user (``ckan.auth.create_unowned_dataset``)
  or any editor of any dependency create, change, delete and run it, and so
  make the portal fetch any address. On this portal a source belongs to a
  dependency; one without a dependency is the sysadmins' alone. The harvest
  checks on a source (update, clear, reindex, jobs) all end in
  ``package_update``, so chaining ``package_create``, ``package_update`` and
  ``package_delete`` covers them, the plain dataset actions included.
- ckanext-harvest's sysadmin-only checks (``harvest_jobs_run``,
  ``harvest_job_abort``...) fail with an error (a 500) for an anonymous
  caller instead of refusing (see ``auth_anonymous``).

Sysadmins never reach these functions: CKAN lets them through before.
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.logic.auth_anonymous import refuse_anonymous, sysadmins_message

SOURCE_TYPE = "harvest"
#: ckanext-harvest's checks that only sysadmins pass.
SYSADMIN_CHECKS = ("harvest_jobs_run", "harvest_job_abort", "harvest_job_create_all", "harvest_sources_clear",
                   "harvest_objects_import", "harvest_sources_reindex")


def _refused() -> dict:
    return {"success": False, "msg": tk._("Only system administrators may manage harvest sources "
                                          "that do not belong to a dependency.")}


def _unowned_source(context: dict, data_dict: dict) -> bool:
    """True if the dataset checked is a harvest source without a dependency."""
    package = context.get("package")
    if package is None:
        ref = (data_dict or {}).get("id") or (data_dict or {}).get("name")
        package = model.Package.get(ref) if ref else None
    return package is not None and package.type == SOURCE_TYPE and not package.owner_org


@tk.chained_auth_function
@tk.auth_allow_anonymous_access  # as CKAN's own: that one decides for anonymous callers
def package_create(up, context, data_dict):
    if (data_dict or {}).get("type") == SOURCE_TYPE and not data_dict.get("owner_org"):
        return _refused()
    return up(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_update(up, context, data_dict):
    return _refused() if _unowned_source(context, data_dict) else up(context, data_dict)


@tk.chained_auth_function
def package_delete(up, context, data_dict):
    return _refused() if _unowned_source(context, data_dict) else up(context, data_dict)


@tk.chained_auth_function
def harvest_source_create(up, context, data_dict):
    """A source named without a dependency is refused here already (and by
    ``package_create`` after); asked without data, as harvest's templates do
    to show the "Add harvest source" button, upstream's rule answers."""
    if data_dict and not data_dict.get("owner_org"):
        return _refused()
    return up(context, data_dict)


def auth_functions() -> dict:
    checks = {"package_create": package_create, "package_update": package_update, "package_delete": package_delete}
    if p.plugin_loaded("harvest"):
        checks["harvest_source_create"] = harvest_source_create
        checks.update({name: refuse_anonymous(name, sysadmins_message) for name in SYSADMIN_CHECKS})
    return checks
