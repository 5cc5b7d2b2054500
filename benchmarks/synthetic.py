"""Synthetic products for the benchmark: valid front matter, text of a realistic length.

The vocabularies and stakeholders come from the project's own data files, so every generated
product passes validation. The text is made from a fixed word list with a seeded random
generator: the same sizes always give the same catalog.
"""

from __future__ import annotations

import random
from pathlib import Path

from pim.load import load_stakeholders, load_vocabulary

WORDS = (
    "protection information management data analysis monitoring assessment case population community "
    "response coordination partners sharing responsible safe consent confidential purpose harm people "
    "inclusive capacity system design implement evaluate impact landscape needs risk displacement "
    "cluster humanitarian field team officer guidance training method tool template report practice "
    "quality review process principle framework indicator survey interview record register referral "
    "service access security situation awareness sector context decision evidence collection storage"
).split()
FORMATS = ("PDF", "Web page", "Word document", "Spreadsheet")


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def products(project: Path, count: int, rng: random.Random) -> list[dict]:
    problems: list = []
    vocabulary = load_vocabulary(project, problems)
    stakeholders, _ = load_stakeholders(project, problems)
    if vocabulary is None or problems:
        raise SystemExit(f"the project's vocabularies or stakeholders have problems: {problems}")
    types = list(vocabulary.product_types)
    languages = list(vocabulary.languages)
    producers = [s.id for s in stakeholders]
    result = []
    for index in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize()
        editions = []
        for language in rng.sample(languages, rng.randint(1, 2)):
            editions.append({"language": language, "files": [
                {"label": f"Read it ({language})", "url": f"https://example.org/pim/{index}/{language}",
                 "format": rng.choice(FORMATS)}]})
        paragraphs = [" ".join(sentence(rng, 8, 18) for _ in range(rng.randint(2, 4))) for _ in range(3)]
        body = f"{paragraphs[0]}\n\n## Who it is for\n\n{paragraphs[1]}\n\n## How it is used\n\n{paragraphs[2]}\n"
        result.append({
            "id": f"product-{index:05d}",
            "title": f"{title} {index}",
            "summary": sentence(rng, 15, 30)[:300],
            "type": rng.choice(types),
            "published": f"{rng.randint(2010, 2025)}-{rng.randint(1, 12):02d}",
            "producers": rng.sample(producers, rng.randint(1, 2)),
            "categories": rng.sample(list(vocabulary.matrix_categories), rng.randint(1, 3)),
            "principles": rng.sample(list(vocabulary.principles), rng.randint(0, 3)),
            "process_steps": rng.sample(list(vocabulary.process_steps), rng.randint(0, 2)),
            "tags": sorted(set(rng.sample(WORDS, 2))),
            "editions": editions,
            "body": body,
        })
    return result


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def product_file(product: dict) -> str:
    lines = ["---", f"title: {_quoted(product['title'])}", f"summary: {_quoted(product['summary'])}",
             f"type: {product['type']}", f"published: \"{product['published']}\""]
    for key in ("producers", "categories", "principles", "process_steps", "tags"):
        if product[key]:
            lines.append(f"{key}: [{', '.join(product[key])}]")
    lines.append("editions:")
    for edition in product["editions"]:
        lines.append(f"  - language: {edition['language']}")
        lines.append("    files:")
        for entry in edition["files"]:
            lines += [f"      - label: {_quoted(entry['label'])}", f"        url: {entry['url']}",
                      f"        format: {_quoted(entry['format'])}"]
    lines.append("---")
    return "\n".join(lines) + "\n\n" + product["body"]


def plain_page(data: dict, body: str) -> str:
    """The same product as a hand-written page of plain Material: title, summary, body."""
    return f"# {data['title']}\n\n{data['summary']}\n\n{body}"
