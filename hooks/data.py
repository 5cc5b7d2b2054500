"""The site's data, read and checked once per build for every language.

mkdocs-static-i18n builds the site again for each language in the same process, and
`mkdocs serve` rebuilds on every change: both ask for the data again and again. It is read anew
only when a data file changed (by name, size and modification time), else the last reading is
used. A change to the code under pim/ or hooks/ cannot be reloaded safely into a running
server (MkDocs loads hooks once, and they hold the data layer's classes): the server says to
restart it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

import pim
from pim.fieldref import reference
from pim.load import (PRODUCTS_DIR, STAKEHOLDERS_FILE, TRANSLATIONS_FILE, VOCABULARY_FILE, file_stamp, load_catalog,
                      load_interface_text)
from pim.model import Catalog, Term
from pim.problems import report

log = logging.getLogger("mkdocs.hooks.data")

DATA_FILES = (VOCABULARY_FILE, STAKEHOLDERS_FILE, TRANSLATIONS_FILE)


@dataclass(frozen=True)
class SiteData:
    """What the data files hold, the same for every language."""
    catalog: Catalog
    vocabulary: dict[str, list[Term]]  # kind -> its terms, for pages that loop over them
    interface_text: dict[str, dict[str, str]]  # translations.yml: {English: {language: text}}
    fieldref: dict  # the field reference of the contributor guide (pim/fieldref.py)


def fingerprint(root: Path) -> tuple:
    """Changes whenever a data file is added, removed or written."""
    files = [root / name for name in DATA_FILES]
    products = root / PRODUCTS_DIR
    if products.is_dir():
        files += sorted(products.rglob("*"))
    return tuple((str(path), file_stamp(path)) for path in files)


def code_fingerprint() -> tuple:
    """The code's own files: the data layer (pim/, its schemas) and the stages (hooks/)."""
    folders = (Path(pim.__file__).parent, Path(__file__).parent)
    return tuple((str(path), file_stamp(path)) for folder in folders for path in sorted(folder.rglob("*"))
                 if path.suffix in (".py", ".json"))


def read(root: Path, kept: dict | None = None) -> SiteData:
    """Load and check every data file; a problem stops the build with every problem listed.
    `kept`: the product files read before (pim.load.load_catalog), for a reading again."""
    catalog, problems = load_catalog(root, kept)
    if problems:
        raise PluginError("The data files have problems; nothing was built.\n" + report(problems))
    interface_text = load_interface_text(root, [])  # its problems are in load_catalog's
    log.info("Read and checked the data: %d products, %d stakeholders", len(catalog.products), len(catalog.stakeholders))
    return SiteData(
        catalog=catalog,
        vocabulary={kind: list(catalog.vocabulary.terms(kind).values()) for kind in catalog.vocabulary.KINDS},
        interface_text=interface_text,
        fieldref=reference(catalog.vocabulary),
    )


class DataReader:
    """The data of one project, kept between builds (hooks/session.py holds the session's)."""

    def __init__(self):
        self.key: tuple | None = None
        self.data: SiteData | None = None
        self.code: tuple | None = None  # the code's files when this process loaded it
        self.products: dict = {}  # product files read and unchanged since (pim.load.load_catalog)
        self.products_root: str = ""

    def load(self, root: Path) -> SiteData:
        """The data of the project at `root`, read again only if a data file changed."""
        code = code_fingerprint()
        if self.code is None:
            self.code = code
        elif code != self.code:
            log.warning("The code under pim/ or hooks/ changed since this server started, and a running server "
                        "cannot reload it: restart the server (Ctrl+C, then `make serve`) to use the change.")
            self.code = code  # said once per change
        key = (str(root.resolve()), fingerprint(root))
        if key != self.key or self.data is None:
            self.key, self.data = None, None  # a failed read must not leave the old data in place
            if self.products_root != key[0]:
                self.products, self.products_root = {}, key[0]  # another project
            self.data = read(root, self.products)
            self.key = key
        return self.data


def watch(server, config, builder):
    """`mkdocs serve` rebuilds when data or code changes; DataReader.load decides what to read again."""
    root = Path(config.config_file_path).resolve().parent
    for name in ("products", "stakeholders.yml", "vocabularies.yml", TRANSLATIONS_FILE, "pim", "hooks", "overrides"):
        server.watch(str(root / name))
    return server
