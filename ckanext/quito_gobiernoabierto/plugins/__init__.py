"""CKAN plugins of the extension: one module per plugin, each thin."""
