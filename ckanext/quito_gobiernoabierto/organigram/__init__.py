"""The organigram: municipal dependencies as CKAN organizations in a hierarchy."""
