"""Harvesting of sectoral portals (DCAT RDF and CKAN) for the national
portal: source registry, safe downloads, the ``dcat_rdf`` and ``ckan``
harvesters with the guarantees described in :mod:`.dcat_rdf`, reports."""
