"""One way to fold text (pim/folding.json), the same in search, the listing's filter and product
ids: one table of cases run through each of them. Python directly (pim/folding.py, and
slugify, which keeps ids ASCII); JavaScript through node (fold.js, and search's normalise.js,
which adds the Arabic article and punctuation on top); and the listing page as built, in
Chromium, where fold.js is inlined."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import ROOT
from pim.folding import fold
from pim.scaffold import ScaffoldError, product_id_for, slugify

PIM_SEARCH = ROOT / "overrides" / "assets" / "javascripts" / "pim-search"

FOLDED = [
    # case, and NFKC (full-width letters, ligatures)
    ("PROTECTION", "protection"), ("ＰＩＭ Ｍａｔｒｉｘ", "pim matrix"), ("conﬁdentiality", "confidentiality"),
    # Latin accents, precomposed or combining
    ("Évaluation", "evaluation"), ("DONNÉES", "donnees"), ("protección", "proteccion"), ("niño", "nino"),
    ("Français", "francais"), ("e\u0301tape", "etape"),
    # letters Unicode does not decompose: œ and æ, and the others
    ("Œuvre", "oeuvre"), ("œuvre", "oeuvre"), ("Cæsar", "caesar"), ("Straße", "strasse"), ("Øresund", "oresund"),
    # Arabic hamza forms: on alef (above, below, madda, wasla), on waw, on ya
    ("إدارة", "اداره"), ("أنظمة", "انظمه"), ("آمن", "امن"), ("ٱسم", "اسم"), ("مسؤول", "مسوول"), ("لاجئ", "لاجي"),
    # ta marbuta, alef maqsura
    ("حماية", "حمايه"), ("إلى", "الي"), ("مستوى", "مستوي"),
    # tashkeel, superscript alef, tatweel
    ("حِمَايَة", "حمايه"), ("مُنَظَّمَة", "منظمه"), ("رحمٰن", "رحمن"), ("حمـــاية", "حمايه"),
    # what is not a letter to fold stays
    ("data-sharing 2024", "data-sharing 2024"),
]
CASES = [text for text, _ in FOLDED]
EXPECTED = [folded for _, folded in FOLDED]


def run_node(script: str, data) -> list:
    node = shutil.which("node")
    assert node, "node is needed to run the site's JavaScript (apt-get install nodejs)"
    result = subprocess.run([node, "-e", script], input=json.dumps(data), capture_output=True, text=True,
                            check=True, cwd=ROOT)
    return json.loads(result.stdout)


def test_python_folds_the_table():
    assert [fold(text) for text in CASES] == EXPECTED


def test_fold_js_folds_the_table_as_python_does():
    script = f"""
      const fold = require({json.dumps(str(PIM_SEARCH / "fold.js"))})
      const cases = JSON.parse(require("fs").readFileSync(0, "utf8"))
      console.log(JSON.stringify(cases.map(fold)))
    """
    assert run_node(script, CASES) == EXPECTED


def test_search_normalises_the_table_as_folded():
    # No case starts with the article (الي keeps it: fewer than two letters would remain), so
    # search's normaliser gives exactly the folded text.
    script = f"""
      const pim = require({json.dumps(str(PIM_SEARCH / "normalise.js"))})
      const cases = JSON.parse(require("fs").readFileSync(0, "utf8"))
      console.log(JSON.stringify(cases.map(pim.normalise)))
    """
    assert run_node(script, CASES) == EXPECTED


def test_ids_fold_latin_titles_the_same_way_and_stay_ascii():
    for text, folded in FOLDED:
        slug = slugify(text)
        assert slug == slugify(folded) and slug.isascii(), text
    assert slugify("Évaluation des besoins, Œuvre") == "evaluation-des-besoins-oeuvre"


def test_an_arabic_title_gives_no_id_so_one_is_asked_for():
    for text, _ in FOLDED:
        if not text.isascii() and not slugify(text):
            with pytest.raises(ScaffoldError, match="ID="):
                product_id_for(text)
    assert slugify("إدارة المعلومات") == ""


def test_the_listing_folds_the_table_and_its_filter_forgives_hamza(watched_page, site_dir):
    page = watched_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site_dir / "ar" / "products" / "index.html").as_uri())
    assert page.evaluate("cases => cases.map(window.pimFold)", CASES) == EXPECTED
    assert not [url for url in requests if "fold" in url]  # inlined: no request of its own
    visible = "() => Array.from(document.querySelectorAll('#pim-products > li')).filter(li => !li.hidden).length"
    total = page.evaluate(visible)
    # The summary says إطار (hamza below): typed without hamza, with ه for ة, it is still found.
    page.fill("#pim-q", "اطار المجموعه")
    page.wait_for_function(f"() => ({visible})() < {total}")
    assert 1 <= page.evaluate(visible) < total
