"""The glossary of PIM terms in the site's four languages, drawn from vocabularies.yml: the
/glossary/ page, the search terms of each product, the first-mention tooltips of guidance
pages, and glossary.tbx, glossary.csv and glossary.json for translators and other sites.

Plain functions of a Vocabulary (no MkDocs): hooks/glossary.py and the templates use them."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from .model import DATA_LANGUAGE, TAXONOMY_PATHS, TERM_FIELDS, TRANSLATION_LANGUAGES, Product, Term, Vocabulary

FORMAT_VERSION = "1.0"
LANGUAGES = (DATA_LANGUAGE, *TRANSLATION_LANGUAGES)
RIGHT_TO_LEFT = ("ar",)
# The vocabularies whose terms the glossary holds, in the order the page shows them.
KINDS = ("matrix_categories", "principles", "process_steps", "product_types", "stakeholder_types")
CSV_COLUMNS = ["kind", "id", *LANGUAGES, *(f"definition_{code}" for code in LANGUAGES), "page"]
TBX_DEFINITION = "definition"


@dataclass(frozen=True)
class Entry:
    """One term of the glossary: its vocabulary, the term, its anchor on /glossary/, and the
    source path of its own page (matrix/<id>.md ...) when it has one."""

    kind: str
    term: Term
    anchor: str
    page: str | None

    def label(self, language: str) -> str:
        return self.term.label_in(language)

    def label_language(self, language: str) -> str:
        return self.term.label_language(language)

    def translated(self, language: str) -> bool:
        return language == DATA_LANGUAGE or language in self.term.labels


def entries(vocabulary: Vocabulary) -> list[Entry]:
    """Every glossary term, vocabulary by vocabulary. A term's anchor is its id; an id used by
    two vocabularies (the product type `principles`) gets its vocabulary's name before it."""
    seen: dict[str, int] = {}
    for kind in KINDS:
        for term_id in vocabulary.terms(kind):
            seen[term_id] = seen.get(term_id, 0) + 1
    result = []
    for kind in KINDS:
        for term in vocabulary.terms(kind).values():
            anchor = term.id if seen[term.id] == 1 else f"{kind.replace('_', '-')}-{term.id}"
            folder = TAXONOMY_PATHS.get(kind)
            result.append(Entry(kind, term, anchor, f"{folder}/{term.id}.md" if folder else None))
    return result


def by_kind(vocabulary: Vocabulary) -> list[tuple[str, list[Entry]]]:
    """[(kind, its entries)] in the glossary's order."""
    all_entries = entries(vocabulary)
    return [(kind, [e for e in all_entries if e.kind == kind]) for kind in KINDS]


def anchor_of(vocabulary: Vocabulary, kind: str, term_id: str) -> str:
    for entry in entries(vocabulary):
        if entry.kind == kind and entry.term.id == term_id:
            return entry.anchor
    raise KeyError(f"{kind}: {term_id}")


def missing(vocabulary: Vocabulary, language: str) -> list[Entry]:
    """Terms whose label has no translation into `language`: the glossary shows them in English."""
    return [entry for entry in entries(vocabulary) if not entry.translated(language)]


def text_direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


# --- Search: a product's terms in the reader's language, with the English term -----------------

# The vocabularies of a product's terms that search finds it by (its type, matrix categories,
# principles and process steps), in TERM_FIELDS' order.
SEARCH_KINDS = tuple(TERM_FIELDS.values())


def search_terms(vocabulary: Vocabulary, language: str) -> list[str]:
    """The words search indexes for each term of SEARCH_KINDS, in one fixed order: the label in
    `language`, then the English label when it differs. A product's search entry names its terms
    by their place in this list (product_term_numbers), so the index carries each label once."""
    words = []
    for kind in SEARCH_KINDS:
        for term in vocabulary.terms(kind).values():
            label = term.label_in(language)
            words.append(label if label == term.label else f"{label} {term.label}")
    return words


def product_term_numbers(vocabulary: Vocabulary, product: Product) -> list[int]:
    """The places, in search_terms' list, of a product's type, categories, principles and steps."""
    numbers, offset = [], 0
    for field_name, kind in TERM_FIELDS.items():
        ids = list(vocabulary.terms(kind))
        for term_id in product.terms(field_name):
            if term_id in ids:
                numbers.append(offset + ids.index(term_id))
        offset += len(ids)
    return numbers


# --- Tooltips: the first mention of a term on a guidance page ---------------------------------

# Where a term is never marked: headings, links, code, and text already marked.
SKIPPED_ELEMENTS = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "kbd", "abbr", "script", "style",
                    "button", "label", "select", "textarea", "svg", "title"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>|<!--.*?-->""", re.S)


def defined_terms(vocabulary: Vocabulary, language: str) -> list[tuple[str, str]]:
    """(label, short definition) in `language` for every glossary term that has a definition in
    it, longest label first, so that "Protection Response Monitoring and Evaluation" is found
    before "Protection Monitoring" could be."""
    pairs = []
    for entry in entries(vocabulary):
        term = entry.term
        # Both in the language (English is always there): a page never mixes in an English label.
        if term.description and term.label_language(language) == language == term.description_language(language):
            pairs.append((term.label_in(language), " ".join(term.description_in(language).split())))
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _pattern(label: str) -> re.Pattern:
    words = [re.escape(html.escape(word, quote=False)) for word in label.split()]
    # A word of the label, not part of a longer word; the spaces between them may be any white space.
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.I)


def mark_first_mentions(content: str, terms: Iterable[tuple[str, str]], wrap: Callable[[str, str], str]) -> str:
    """The HTML `content` with the first mention of each term in running text given to
    `wrap(mention, definition)` (which returns its HTML), never inside SKIPPED_ELEMENTS. The
    text itself is kept, so it reads the same without JavaScript."""
    patterns = [(_pattern(label), definition) for label, definition in terms if label.strip()]
    if not patterns:
        return content
    parts, open_skipped, position = [], [], 0
    remaining = list(patterns)

    def mark(text: str) -> str:
        for item in list(remaining):
            pattern, definition = item
            match = pattern.search(text)
            if match:
                remaining.remove(item)
                # The rest of this text may hold other terms: look before and after the mention.
                return mark(text[:match.start()]) + wrap(match.group(0), definition) + mark(text[match.end():])
        return text

    for match in TAG.finditer(content):
        text = content[position:match.start()]
        parts.append(mark(text) if text and not open_skipped and remaining else text)
        parts.append(match.group(0))
        position = match.end()
        closing, name, self_closing = match.group(1), (match.group(2) or "").lower(), match.group(3)
        if name in SKIPPED_ELEMENTS and name not in VOID_ELEMENTS and not self_closing:
            if closing:
                if name in open_skipped:
                    del open_skipped[len(open_skipped) - 1 - open_skipped[::-1].index(name):]
            else:
                open_skipped.append(name)
    tail = content[position:]
    parts.append(mark(tail) if tail and not open_skipped and remaining else tail)
    return "".join(parts)


# --- Files for translators and other sites ----------------------------------------------------

def glossary_records(vocabulary: Vocabulary, page_url: Callable[[str], str] | None = None) -> list[dict]:
    """One record per term: labels and definitions in each language (None where untranslated),
    and its page's address where it has a page."""
    records = []
    for entry in entries(vocabulary):
        term = entry.term
        labels = {code: (term.label if code == DATA_LANGUAGE else term.labels.get(code)) for code in LANGUAGES}
        definitions = {code: ((term.description or None) if code == DATA_LANGUAGE else term.descriptions.get(code))
                       for code in LANGUAGES}
        records.append({
            "kind": entry.kind, "id": term.id, "anchor": entry.anchor,
            "labels": labels, "definitions": definitions,
            "page": page_url(entry.page) if entry.page and page_url else None,
        })
    return records


def glossary_json(vocabulary: Vocabulary, page_url: Callable[[str], str] | None = None) -> str:
    data = {"format_version": FORMAT_VERSION, "languages": list(LANGUAGES),
            "terms": glossary_records(vocabulary, page_url)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cell(value: str | None) -> str:
    value = value or ""
    return "'" + value if value.startswith(("=", "+", "-", "@")) else value  # no spreadsheet formulas


def glossary_csv(vocabulary: Vocabulary, page_url: Callable[[str], str] | None = None) -> str:
    """One row per term, one column per language (empty where a term is untranslated), then the
    definitions in each language and the term's page."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in glossary_records(vocabulary, page_url):
        writer.writerow([record["kind"], record["id"], *(_cell(record["labels"][c]) for c in LANGUAGES),
                         *(_cell(record["definitions"][c]) for c in LANGUAGES), record["page"] or ""])
    return out.getvalue()


def glossary_tbx(vocabulary: Vocabulary) -> bytes:
    """TermBase eXchange (TBX, ISO 30042) written by translate-toolkit: one termEntry per term
    (its id: <vocabulary>.<term id>), a langSet per language with the term and, where written,
    its definition. Untranslated terms have no langSet in that language (nothing is guessed)."""
    from translate.storage import tbx  # imported here: only the build's last step needs it

    store = tbx.tbxfile(sourcelanguage=DATA_LANGUAGE)
    for record in glossary_records(vocabulary):
        unit = store.addsourceunit(record["labels"][DATA_LANGUAGE])
        unit.setid(f"{record['kind']}.{record['id']}")
        for code in TRANSLATION_LANGUAGES:
            if record["labels"][code]:
                unit.settarget(record["labels"][code], lang=code, append=True)
        for node in unit.getlanguageNodes():
            code = node.get("{http://www.w3.org/XML/1998/namespace}lang")
            definition = record["definitions"].get(code)
            if definition:
                # TBX's place for a definition: a descrip in the language's langSet, before its term.
                descrip = node.makeelement(unit.namespaced("descrip"), {"type": TBX_DEFINITION})
                descrip.text = " ".join(definition.split())
                node.insert(0, descrip)
    return bytes(store)


def outputs(vocabulary: Vocabulary, page_url: Callable[[str], str] | None = None) -> dict[str, bytes]:
    """File name -> bytes: glossary.tbx, glossary.csv and glossary.json."""
    return {
        "glossary.tbx": glossary_tbx(vocabulary),
        "glossary.csv": glossary_csv(vocabulary, page_url).encode("utf-8"),
        "glossary.json": glossary_json(vocabulary, page_url).encode("utf-8"),
    }
