"""ckanext-reuse: reuse showcase, data requests and feedback on datasets."""
