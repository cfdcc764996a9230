"""ckanext-dcat RDF profiles of the extension (``ckan.rdf.profiles`` entry points)."""
