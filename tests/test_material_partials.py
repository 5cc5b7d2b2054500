"""Partials copied from Material into overrides/ and then changed: each is a copy of one
upstream file, whose sha256 tests/material_partials.json keeps. When an upgrade of Material
changes that file, our copy is out of date, and this test says to copy it again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import material
import pytest

ROOT = Path(__file__).resolve().parent.parent
RECORD = Path(__file__).with_name("material_partials.json")
UPSTREAM = Path(material.__file__).parent / "templates"
COPIES = json.loads(RECORD.read_text(encoding="utf-8"))
# Our own templates that happen to have the name of one of Material's: not copies of it.
OWN = {"overrides/main.html", "overrides/redirect.html"}


@pytest.mark.parametrize("ours", sorted(COPIES))
def test_copied_material_partial_matches_the_upstream_file_it_came_from(ours):
    upstream = UPSTREAM / COPIES[ours]["upstream"]
    assert (ROOT / ours).is_file(), f"{ours} is listed in {RECORD.name} but does not exist"
    assert upstream.is_file(), f"Material no longer has {COPIES[ours]['upstream']}: see what replaced it for {ours}"
    digest = hashlib.sha256(upstream.read_bytes()).hexdigest()
    assert digest == COPIES[ours]["sha256"], (
        f"The installed Material's templates/{COPIES[ours]['upstream']} changed since {ours} was copied from it. "
        f"Copy it again into {ours}, make our changes to it again (see the comment at its top), "
        f"then put its new sha256 in tests/{RECORD.name}: {digest}")


def test_every_override_that_shadows_a_material_template_is_recorded():
    # A file in overrides/ with the name of one of Material's templates replaces it: it is a copy.
    shadowing = {str(path.relative_to(ROOT)) for path in (ROOT / "overrides").rglob("*.html")
                 if (UPSTREAM / path.relative_to(ROOT / "overrides")).is_file()}
    assert shadowing - OWN <= set(COPIES), f"not in tests/{RECORD.name}: {sorted(shadowing - OWN - set(COPIES))}"
