"""What outlives one language's build, on one object: `SESSION`.

mkdocs-static-i18n builds the four languages one after the other in one process, and `mkdocs
serve` builds them again on every change. What those builds share is here, and only here (no
other module of hooks/ or pim/ keeps build state of its own):

- `data`: the data files, read and checked once, read again when one changes (hooks/data.py);
- `templates`: compiled Jinja templates, so that each language's build and each rebuild does not
  compile Material's and our templates again (about half of a small site's build), also kept in
  .cache/templates/ for the next build;
- `references`: the APA formatter (pim/citations.py), whose reference shapes are made once;
- `markdown`: the Markdown instance product bodies are converted with (hooks/product_page.py);
- `covers`: the catalog's document covers, found once for the four languages (hooks/covers.py);
- `fragments`: products' cards and entries as rendered, kept while the product is unchanged
  (hooks/state.py); `per_build`: what the languages' builds of one build compute once;
  `citation_files`: each product's citation files, made again when its data changes;
  `converted`: product bodies as HTML, converted once for the four languages and again when
  the body changes;
- `state`: the language build under way (hooks/state.py), which stages reach through
  `hooks.state.current()`;
- `serving`, `plan` and `last`: under `make serve`, what the last build wrote and what this one
  must write again (hooks/rebuild.py), and `set_aside`, what outlives builds put out of the
  cycle collector's way; `theme_files`: the theme's files, listed once while
  mkdocs.yml, overrides/ and the code stay the same; `git`: mkdocs-macros' answers from git,
  kept while the commit is the same (hooks/internals.py).

hooks/pipeline.py states the order of the stages that read and write it."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BytecodeCache

from hooks.data import DataReader
from pim.citations import Formatter


TEMPLATE_CACHE = Path(".cache") / "templates"  # in the project, beside .cache/covers/
# Their filters and tests can be folded into compiled templates: an upgrade starts a new folder.
_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "mkdocs-static-i18n")


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


class TemplateCache(BytecodeCache):
    """Jinja's compiled templates, kept in memory for every environment of the session and, once
    `use_folder` names one, on disk (.cache/templates/), so that the next build does not compile
    Material's and our hundred templates again either (0.6 CPU seconds of a build on the
    benchmarks' machine). Jinja keys them by template name and file, and checks the source's
    checksum: an edited template is compiled again. The folder's name holds what else the code
    depends on: the versions of Jinja and of the packages whose filters templates use, and the
    environment's syntax options (Python's version is in every file)."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}
        self.folder: Path | None = None
        self.versions: tuple[str, ...] | None = None

    def use_folder(self, cache: Path, env) -> None:
        if self.versions is None:  # once per session
            self.versions = tuple(_version(name) for name in _PACKAGES)
        options = repr((self.versions, env.block_start_string, env.block_end_string, env.variable_start_string,
                        env.variable_end_string, env.comment_start_string, env.comment_end_string,
                        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                        env.newline_sequence, env.keep_trailing_newline, env.optimized, env.is_async,
                        env.finalize is not None, callable(env.autoescape) or env.autoescape,
                        sorted(env.extensions)))
        self.folder = cache / f"jinja2-{jinja2.__version__}-{hashlib.sha256(options.encode()).hexdigest()[:12]}"

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])
        elif self.folder is not None:
            try:
                data = (self.folder / bucket.key).read_bytes()
                bucket.bytecode_from_string(data)  # another Python's or an old source's: no code
            except Exception:  # unreadable or cut short: compiled again
                bucket.reset()
                return
            if bucket.code is not None:
                self.compiled[bucket.key] = data

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
        if self.folder is not None:
            temporary = None
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                # Whole or not at all, for builds running side by side (tests); no fsync: a
                # file lost in a crash is compiled again.
                descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
                with os.fdopen(descriptor, "wb") as file:
                    file.write(self.compiled[bucket.key])
                os.replace(temporary, self.folder / bucket.key)
            except OSError:  # a read-only project: the templates are compiled again next time
                if temporary is not None:
                    Path(temporary).unlink(missing_ok=True)


@dataclass
class SharedMarkdown:
    config: Any = None  # the build's config the instance was made for
    md: Any = None  # markdown.Markdown


@dataclass
class LastBuild:
    """What the last complete build wrote (`make serve` only), to compare the next one with."""
    site_dir: str = ""
    full: bool = False  # every page was written (hooks/rebuild.py, set_aside_long_lived)
    data: Any = None  # hooks.data.SiteData
    sources: tuple = ()  # stamps of mkdocs.yml, overrides/ and the code: a change means a full build
    pages: dict = field(default_factory=dict)  # docs/*.md -> (front matter, title): a change means a full build
    # language -> {page URL: its search entries}, in the order of the pages
    search: dict[str, dict[str, list]] = field(default_factory=dict)
    product_files: dict[tuple[str, str], str] = field(default_factory=dict)  # (language, id) -> written page
    titles: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> {hand-written page URL: title}
    written: dict[str, int] = field(default_factory=dict)  # site file -> hash of what was written
    # (language, docs/ source) -> what of the data that hand-written page read (hooks/state.py, PageView)
    reads: dict[tuple[str, str], set] = field(default_factory=dict)


@dataclass
class Session:
    data: DataReader = field(default_factory=DataReader)
    templates: TemplateCache = field(default_factory=TemplateCache)
    references: Formatter = field(default_factory=Formatter)
    markdown: SharedMarkdown = field(default_factory=SharedMarkdown)
    covers: tuple[int, dict] | None = None  # (id of the catalog they were found for, product id -> cover)
    state: Any = None  # hooks.state.BuildState of the language build under way
    serving: bool = False  # `mkdocs serve --dirty` (`make serve`): write only what changed
    plan: Any = None  # hooks.rebuild.Plan: what this build writes again
    last: LastBuild | None = None  # None: the next build writes everything
    set_aside: bool = False  # objects are set aside from the cycle collector (hooks/rebuild.py)
    # `make serve`: the theme's files as MkDocs lists them, for the key under "key"; mkdocs-macros'
    # answers from git, for the commit under "where" (hooks/internals.py)
    theme_files: dict = field(default_factory=dict)
    git: dict = field(default_factory=dict)
    # Product bodies converted to HTML, per body for the four languages' pages, and under `make
    # serve` per page and body (hooks/product_page.py)
    converted: dict = field(default_factory=dict)
    # `make serve`: each product's citation files, made again when its CSL item changes (pim/citations.py)
    citation_files: dict = field(default_factory=dict)
    # What the languages' builds of one build compute once (hooks/state.py: the translation status)
    per_build: dict = field(default_factory=dict)
    # Products' cards and entries as rendered, kept between `make serve` rebuilds (hooks/state.py)
    fragments: dict = field(default_factory=dict)
    # Search entries of this build, per language, as Material's search plugin made them.
    search: dict[str, list] = field(default_factory=dict)


SESSION = Session()
