"""``quito_gobiernoabierto``: the portal plugin.

It only wires CKAN interfaces to the code of the extension: templates,
translations, helpers, the ``ckan quito`` commands and config declarations.
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.quito_gobiernoabierto import cli, helpers, package_path


@tk.blanket.config_declarations("../config_declaration.yaml")
class QuitoPortalPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IClick)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "../templates")
        tk.add_public_directory(config, "../public")

    # ITranslation
    def i18n_directory(self) -> str:
        return package_path("i18n")

    def i18n_domain(self) -> str:
        return "ckanext-quito_gobiernoabierto"

    # ITemplateHelpers
    def get_helpers(self):
        return helpers.all_helpers()

    # IClick
    def get_commands(self):
        return [cli.quito]
