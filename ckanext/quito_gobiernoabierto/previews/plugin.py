"""The shared shape of the preview plugins: each names its preview module
(``info``, ``can_view``, ``template_vars``, optional ``LIMIT_KEY`` /
``DEFAULT_LIMIT`` / ``LIMIT_DESCRIPTION``) and its template."""
from __future__ import annotations

from types import ModuleType

import ckan.plugins as p
import ckan.plugins.toolkit as tk


class PreviewViewPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigDeclaration)
    p.implements(p.IResourceView, inherit=True)

    preview: ModuleType
    template: str

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "../templates")
        tk.add_public_directory(config, "../public")

    # IConfigDeclaration: the view's size limit, when it has one.
    def declare_config_options(self, declaration, key):
        limit_key = getattr(self.preview, "LIMIT_KEY", None)
        if limit_key:
            declaration.declare_int(limit_key, self.preview.DEFAULT_LIMIT).set_description(
                self.preview.LIMIT_DESCRIPTION)

    # IResourceView
    def info(self):
        return self.preview.info()

    def can_view(self, data_dict):
        return self.preview.can_view(data_dict)

    def setup_template_variables(self, context, data_dict):
        return self.preview.template_vars(data_dict)

    def view_template(self, context, data_dict):
        return self.template
