"""The glossary of PIM terms (pim/glossary.py), MkDocs glue only:

- `glossary_page`: the /glossary/ page's entries (partials/glossary.html) after its own text, in
  the page's content, so that search indexes each entry (one heading each) in every language;
- `explain_terms`: on hand-written pages, the first mention of each term with a definition gets
  it as a tooltip (partials/glossary-term.html: an <abbr title>, Material's content.tooltips);
- `add_search_terms`: in each language's search index, the products' PIM terms (README, "Search").
"""

from __future__ import annotations

import re

from hooks.state import current, template_env
from pim import glossary

PRODUCT_LOCATION = re.compile(r"^products/([^/#]+)(?:/|\.html)$")
GLOSSARY_LOCATION = re.compile(r"^glossary(?:/|\.html)#(.+)$")
# Search weighs a product's terms above words of its text and below its title (title 1000, text 1).
TERMS_BOOST = 200


def glossary_page(content, page, config, files):
    """The glossary's entries after the page's introduction, in the reader's language."""
    if not page.meta.get("pim_glossary"):
        return content
    entries = template_env(config).get_template("partials/glossary.html").render(page=page)
    return content + entries


def explain_terms(content, page, config, files):
    """Hand-written pages (docs/), not generated product or term pages and not the glossary
    itself: each term's first mention in running text gets its short definition."""
    if page.file.generated_by or page.meta.get("pim_glossary") or not content:
        return content
    state = current()
    # A page with no translation is the English file: explain it in English.
    language = getattr(page.file, "locale", state.language) or state.language
    terms = glossary.defined_terms(state.catalog.vocabulary, language)
    template = template_env(config).get_template("partials/glossary-term.html")

    def wrap(mention: str, definition: str) -> str:
        return template.render(mention=mention, definition=definition)

    return glossary.mark_first_mentions(content, terms, wrap)


def add_search_terms(language: str, index_config: dict, docs: list[dict]) -> None:
    """Each product's entry names its PIM terms (numbers into `pim_terms`, the terms' words in
    this language with the English term beside them), each glossary entry its term in the four
    languages; our search worker (overrides/assets/javascripts/pim-search/worker.js) indexes
    those words in a field of their own."""
    catalog = current().catalog
    vocabulary = catalog.vocabulary
    ids = {product.id for product in catalog.products}
    index_config["pim_terms"] = glossary.search_terms(vocabulary, language)
    index_config["pim_terms_boost"] = TERMS_BOOST
    # A glossary entry carries its term in the four languages, in the same field, so that it is
    # found whichever language the term is typed in, as a product is found by its terms.
    labels = {entry.anchor: " ".join(dict.fromkeys(entry.label(code) for code in glossary.LANGUAGES))
              for entry in glossary.entries(vocabulary)}
    for doc in docs:
        location = doc["location"]
        if (match := PRODUCT_LOCATION.match(location)) and match.group(1) in ids:
            numbers = glossary.product_term_numbers(vocabulary, catalog.product(match.group(1)))
            if numbers:
                doc["pim_terms"] = numbers
        elif (match := GLOSSARY_LOCATION.match(location)) and match.group(1) in labels:
            doc["pim_terms"] = labels[match.group(1)]
