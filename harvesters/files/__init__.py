"""``quito_files``: files published by municipal dependencies (an auto-index
listing on a web server, a manifest, or a shared folder) become datasets of
the right type in the dependency's organization.

Data flows one way: ``config`` (the source's settings, validated) ->
``sources`` (list the files with their change tokens) -> ``layouts`` (files
-> planned datasets) -> gather (one harvest object per planned dataset) ->
fetch (download what changed, ``inspectors``) -> import (the same CKAN
actions a steward uses).
"""
