"""One install for the whole bundle: ckanext-opengov, ckanext-reuse and
ckanext-odassessment, plus the scheming schemas in ``schemas/``.

Each plugin folder holds its own ``ckanext/<name>/`` package; the root
``schemas/`` folder is installed as ``ckanext.opengov.schemas`` so that
ckanext-scheming can load ``ckanext.opengov.schemas:dataset.yaml`` in a
development checkout and in the production image alike.
"""
from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

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


def compile_catalogs() -> list[Path]:
    """Compile every plugin's ``i18n/<lang>/LC_MESSAGES/*.po`` into the
    ``.mo`` next to it (fuzzy entries left out, as ``pybabel compile`` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po_path in sorted(HERE.glob("ckanext-*/ckanext/*/i18n/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        compiled.append(mo_path)
    return compiled


class build_py_with_catalogs(build_py):
    """build_py that first compiles the translation catalogues; it also runs
    for editable installs (``pip install -e .``), where the .mo files are
    written in the source tree the install points to."""

    def run(self):
        for mo_path in compile_catalogs():
            print(f"compiled {mo_path.relative_to(HERE)}")
        self.__dict__.pop("data_files", None)  # list the new .mo files too
        super().run()


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
            "opengov_dcat_rdf_harvester = ckanext.opengov.harvest.dcat_rdf:OpenGovDCATRDFHarvester",
            "opengov_ckan_harvester = ckanext.opengov.harvest.ckan:OpenGovCKANHarvester",
            "reuse = ckanext.reuse.plugin:ReusePlugin",
            "odassessment = ckanext.odassessment.plugin:AssessmentPlugin",
        ],
        "ckan.rdf.profiles": [
            "opengov = ckanext.opengov.dcat:OpenGovDCATProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    cmdclass={"build_py": build_py_with_catalogs},
    zip_safe=False,
)
