"""DCAT-AP 3 for the Quito dataset types: the ``quito_dcat_ap`` RDF profile
(``profiles/``), layered on ckanext-dcat's ``euro_dcat_ap_3``."""
