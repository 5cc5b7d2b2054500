"""The edit loop: how long after saving a file `make serve` shows the change, in all four languages.

For each size (13: the project's own products; larger: synthetic products, benchmarks/synthetic.py,
in a copy of the project), it starts `mkdocs serve --dirty` as `make serve` does (or, with
`--mode full`, `mkdocs serve`, which builds everything on each change), waits for the first build,
then edits in turn a product's description, its title (shown on the listing and other pages too),
a stakeholder's name and a hand-written page, each
`--repeats` times. Each time it measures the seconds from writing the file until the served
page shows the new text in English, French, Spanish and Arabic (polled over HTTP every 20 ms),
and the CPU seconds the server spent meanwhile (/proc). `make serve` hears the save through the
system's file events (hooks/internals.py; MkDocs alone polls every 0.5 s), then MkDocs waits
0.1 s for more changes before it rebuilds.

A benchmark, not a test. Usage: python benchmarks/edit_loop.py [--sizes 13 1000] [--mode quick full]
[--repeats 3]. Results: benchmarks/results/edit_loop.json."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

LANGUAGES = ("", "fr/", "es/", "ar/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_project(workdir: Path, count: int) -> tuple[Path, str]:
    """A copy of the project with `count` products (13: its own); and the product edited."""
    if count == 13:
        project = workdir / "ours"
        ignore = shutil.ignore_patterns(".venv", ".git", "site", "dist", "node_modules", "__pycache__",
                                        ".pytest_cache", "benchmarks", "tests")
        shutil.copytree(ROOT, project, ignore=ignore, symlinks=True)
        return project, "common-pim-terminology"
    from bench import make_ours

    return make_ours(workdir, count, ("en", "fr", "es", "ar")), "product-00000"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_until(urls: list[str], token: str, limit: float = 300) -> float:
    start = time.perf_counter()
    pending = list(urls)
    while pending:
        if time.perf_counter() - start > limit:
            raise SystemExit(f"not shown after {limit} s: {pending}")
        pending = [url for url in pending if token not in fetch(url)]
        if pending:
            time.sleep(0.02)
    return time.perf_counter() - start


def edits(project: Path, product_id: str):
    """(what, file, function(text, token) -> new text, pages that must show the token)."""
    product = project / "products" / f"{product_id}.md"
    stakeholders = project / "stakeholders.yml"
    name = re.search(r"^  name: (.+)$", stakeholders.read_text(encoding="utf-8"), re.M).group(1)
    return [
        ("product", product, lambda text, token: text.rstrip("\n") + f"\n\nEdited {token}.\n",
         [f"{lang}products/{product_id}/" for lang in LANGUAGES]),
        ("product title", product, lambda text, token: re.sub(
            r'^title: ("?)', lambda m: f"title: {m.group(1)}{token} ", text, count=1, flags=re.M),
         [f"{lang}products/{product_id}/" for lang in LANGUAGES]),
        ("stakeholder", stakeholders, lambda text, token: re.sub(
            r"^  name: .+$", f"  name: {name} {token}", text, count=1, flags=re.M),
         [f"{lang}stakeholders/" for lang in LANGUAGES]),
        ("page", project / "docs" / "training.md", lambda text, token: text.rstrip("\n") + f"\n\nEdited {token}.\n",
         ["training/"]),  # each language has its own file of this page: the English one shows it
    ]


def run(count: int, mode: str, repeats: int, workdir: Path) -> dict:
    project, product_id = make_project(workdir / f"{count}-{mode}", count)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    if mode == "quick":
        command.insert(4, "--dirty")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = open(workdir / f"serve-{count}-{mode}.log", "w")
    server = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        first = wait_until([base + "products/"], "<html", limit=900)
        time.sleep(2)
        results: dict[str, list] = {}
        for _ in range(repeats):
            for what, path, change, pages in edits(project, product_id):
                token = f"t{time.time_ns()}"
                text = path.read_text(encoding="utf-8")
                cpu = cpu_seconds(server.pid)
                path.write_text(change(text, token), encoding="utf-8")
                seconds = wait_until([base + page for page in pages], token)
                time.sleep(1.5)  # the build has ended (the last language is written last)
                results.setdefault(what, []).append(
                    {"seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds(server.pid) - cpu - 0.0, 2)})
                time.sleep(0.5)
        return {"products": count, "mode": mode, "first_build_s": round(first, 1), "edits": results,
                "median_s": {what: statistics.median(r["seconds"] for r in rows) for what, rows in results.items()},
                "median_cpu_s": {what: statistics.median(r["cpu_seconds"] for r in rows) for what, rows in results.items()},
                "load_average": os.getloadavg()[0]}
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[13, 1000])
    parser.add_argument("--mode", nargs="+", choices=("quick", "full"), default=["quick"],
                        help="quick: `make serve` (mkdocs serve --dirty); full: mkdocs serve, every page on each change")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="edit-loop-") as tmp:
        for count in args.sizes:
            for mode in args.mode:
                row = run(count, mode, args.repeats, Path(tmp))
                print(json.dumps(row), flush=True)
                rows.append(row)
    args.results.mkdir(exist_ok=True)
    (args.results / "edit_loop.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    kinds = ("product", "product title", "stakeholder", "page")
    print("| products | mode | " + " | ".join(f"{k}: s (CPU s)" for k in kinds) + " | load average |")
    for row in rows:
        m, c = row["median_s"], row["median_cpu_s"]
        print(f"| {row['products']} | {row['mode']} | " + " | ".join(f"{m[k]:.2f} ({c[k]:.2f})" for k in kinds)
              + f" | {row['load_average']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
