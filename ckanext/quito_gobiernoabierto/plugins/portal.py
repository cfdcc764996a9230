"""``quito_gobiernoabierto``: the portal plugin.

It only wires CKAN interfaces to the code of the extension: templates,
translations, helpers, the ``ckan quito`` commands, config declarations and
the 503 answers of an outage (``outage``), the guards of harvest views
and the headers of downloads (``views``).
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.quito_gobiernoabierto import cli, datasets, helpers, outage, package_path, request_guard, validators
from ckanext.quito_gobiernoabierto.logic import action, activity_labels, auth, dcat_pages, harvest_jobs, input_guard
from ckanext.quito_gobiernoabierto.views.organigram import organigram


@tk.blanket.config_declarations("../config_declaration.yaml")
class QuitoPortalPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IClick)
    p.implements(p.IValidators)
    p.implements(p.IActions)
    p.implements(p.IBlueprint)
    p.implements(p.IAuthFunctions)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.ISignal)

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
        return {**helpers.all_helpers(), **datasets.helpers()}

    # IClick
    def get_commands(self):
        return [cli.quito]

    # IValidators
    def get_validators(self):
        return {**validators.all_validators(), **datasets.validators()}

    # IActions
    def get_actions(self):
        return {**action.get_actions(), **harvest_jobs.chained_actions(), **input_guard.chained_actions(),
                **dcat_pages.chained_actions()}

    # IAuthFunctions
    def get_auth_functions(self):
        return auth.get_auth_functions()

    # ISignal
    def get_signal_subscriptions(self):
        return activity_labels.subscriptions()

    # IMiddleware
    def make_middleware(self, app, config):
        from ckanext.quito_gobiernoabierto.views import download_headers, harvest_guard

        outage.install(app)
        harvest_guard.install(app)
        download_headers.install(app)
        request_guard.install(app)
        return app

    # IBlueprint
    def get_blueprint(self):
        from ckanext.quito_gobiernoabierto.views.transparency import transparency
        from ckanext.quito_gobiernoabierto.views.pillars import pillars
        return [organigram, transparency, pillars]
