"""WSGI entry point for gunicorn: ``gunicorn --chdir /srv/app wsgi:application``.

The CKAN config file is $CKAN_INI (the image sets /srv/app/ckan.ini). As in
the ckan CLI, the CKAN_* environment variables (CKAN_SQLALCHEMY_URL,
CKAN_SITE_URL, ...) override it, and its [loggers] sections set up logging.
"""
import logging
import os

from ckan.cli import load_config
from ckan.config.middleware import make_app

CONFIG_PATH = os.environ.get("CKAN_INI", "/srv/app/ckan.ini")

# load_config also applies the ini's logging sections with
# logging.config.fileConfig, which disables every logger that existed
# before: gunicorn's, so its access and error logs would go silent.
config = load_config(CONFIG_PATH)
for name in list(logging.root.manager.loggerDict):
    if name.startswith("gunicorn"):
        logging.getLogger(name).disabled = False

application = make_app(config)
