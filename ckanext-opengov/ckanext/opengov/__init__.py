"""ckanext-opengov: multilingual schemas, themes, DCAT mapping and harvesting of sectoral portals."""
