"""Harvesters that pull files from municipal dependencies (ckanext-harvest).

Shipped inside the package as ``ckanext.quito_gobiernoabierto.harvesters``.
"""
