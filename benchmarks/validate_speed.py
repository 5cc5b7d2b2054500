"""How long `make validate` takes as the catalog grows.

Copies the data files into a temp folder, adds synthetic products (copies of the real ones under
new ids) up to each size, and times both `load_catalog` in-process (best of a few runs) and the
whole `python -m pim validate` command (interpreter start-up included).

    .venv/bin/python benchmarks/validate_speed.py [SIZES...]     # default: 13 1000 5000
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pim.load import load_catalog, product_files  # noqa: E402


def make_project(dest: Path, size: int) -> Path:
    for name in ("stakeholders.yml", "vocabularies.yml"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs", dest / "docs")  # local edition files are checked for existence
    (dest / "products").mkdir()
    originals = product_files(ROOT)
    for index in range(size):
        source = originals[index % len(originals)]
        # Aliases must stay unique, so copies drop theirs.
        text = source.read_text(encoding="utf-8")
        if index >= len(originals):
            text = "\n".join(line for line in text.split("\n") if not line.startswith("  - /"))
            text = text.replace("aliases:\n", "")
            name = f"{source.stem}-copy-{index}.md"
        else:
            name = source.name
        (dest / "products" / name).write_text(text, encoding="utf-8")
    return dest


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main(sizes: list[int]) -> None:
    print(f"{'products':>9} {'load_catalog':>13} {'per product':>12} {'python -m pim validate':>23}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(Path(tmp), size)
            catalog, problems = load_catalog(project)
            assert not problems, problems[:3]
            assert len(catalog.products) == size
            in_process = best_of(3, lambda: load_catalog(project))
            command = best_of(3, lambda: subprocess.run(
                [sys.executable, "-m", "pim", "validate", str(project)], cwd=ROOT, check=True,
                stdout=subprocess.DEVNULL, env={**os.environ, "GITHUB_ACTIONS": ""}))
            print(f"{size:>9} {in_process:>12.3f}s {in_process / size * 1000:>10.2f}ms {command:>22.3f}s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [13, 1000, 5000])
