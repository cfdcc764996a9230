"""Embedded PostgreSQL search engine that serves CKAN's package_search in place of Solr."""
