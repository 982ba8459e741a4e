"""One install for the whole bundle: ckanext-opengov, ckanext-reuse and
ckanext-odassessment, plus the scheming schemas in ``schemas/``.

Each plugin folder holds its own ``ckanext/<name>/`` package; the root
``schemas/`` folder is installed as ``ckanext.opengov.schemas`` so that
ckanext-scheming can load ``ckanext.opengov.schemas:dataset.yaml`` in a
development checkout and in the production image alike.
"""
from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).parent
PLUGIN_FOLDERS = ("ckanext-opengov", "ckanext-reuse", "ckanext-odassessment")


def bundle_packages():
    package_dir = {"ckanext.opengov.schemas": "schemas"}
    for folder in PLUGIN_FOLDERS:
        for package in find_namespace_packages(where=folder, include=["ckanext.*"]):
            package_dir[package] = f"{folder}/{package.replace('.', '/')}"
    return sorted(package_dir), package_dir


def requirements(name):
    lines = (HERE / name).read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


packages, package_dir = bundle_packages()

setup(
    name="ckanext-opengov-bundle",
    version="0.1.0",
    description="National open data portal bundle for CKAN 2.12: multilingual "
    "schemas and harvesting, reuses and data requests, assessment grid",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    packages=packages,
    package_dir=package_dir,
    package_data={
        "": [
            "*.yaml", "*.yml", "*.json", "*.ini", "*.txt",
            "templates/**/*", "assets/**/*", "public/**/*", "i18n/**/*",
            "migration/**/*",
        ],
    },
    install_requires=requirements("requirements.txt"),
    extras_require={"test": requirements("requirements-dev.txt")},
    entry_points={
        "ckan.plugins": [
            "opengov = ckanext.opengov.plugin:OpenGovPlugin",
            "reuse = ckanext.reuse.plugin:ReusePlugin",
            "odassessment = ckanext.odassessment.plugin:AssessmentPlugin",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    zip_safe=False,
)
