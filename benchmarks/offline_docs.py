"""`make offline` with its documents: time and zip sizes.

Two catalogs, each in a temporary copy of the project with the shipped configuration (four
languages):
- the default content (its product files are web pages: nothing to fetch);
- N synthetic products (benchmarks/synthetic.py, default 1,000) whose PDF, Word and spreadsheet
  files are served by a local server on 127.0.0.1 (seeded random bytes, 20-200 kB each, so they
  do not compress, like real PDFs); web pages stay web pages.

For each it times `python -m pim.offline_edition` (what `make offline` runs) with an empty cache,
then again with the cache (nothing fetched), and checks that the second run's zips are the same
bytes. Baseline in the same run: plain Material's offline build of the same pages (stock theme,
search and offline plugins) plus one zip of it, so the figures read as ratios on a noisy machine.

    .venv/bin/python benchmarks/offline_docs.py [--products 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import make_ours, make_plain  # noqa: E402
from pim import offline_zip  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "offline_docs.json"
LANGUAGES = ("en", "fr", "es", "ar")
ZIPS = ["pim-guide-offline.zip", *(f"pim-guide-offline-{lang}.zip" for lang in LANGUAGES)]
MB = 1000 * 1000


class Documents(http.server.BaseHTTPRequestHandler):
    """/doc/<n>.<ext>: seeded random bytes, the same for the same path."""

    hits = 0
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).hits += 1
        rng = random.Random(self.path)
        body = rng.randbytes(rng.randint(20_000, 200_000))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Documents)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def point_files_at(project: Path, base: str) -> None:
    """Every synthetic file that is not a web page gets a local address ending like its format."""
    suffix = {"PDF": "pdf", "Word document": "docx", "Spreadsheet": "xlsx"}
    pattern = re.compile(r'(        url: )https://example\.org/pim/(\d+)/(\w+)\n        format: "([^"]+)"')

    def local(match):
        if match.group(4) not in suffix:
            return match.group(0)
        return (f"{match.group(1)}{base}/doc/{match.group(2)}-{match.group(3)}.{suffix[match.group(4)]}\n"
                f'        format: "{match.group(4)}"')

    for path in (project / "products").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(pattern.sub(local, text), encoding="utf-8")


def copy_default(workdir: Path) -> Path:
    project = workdir / "default"
    ignore = shutil.ignore_patterns(".venv", ".git", "site", "dist", "node_modules", "__pycache__",
                                    ".pytest_cache", "benchmarks", "tests", ".cache")
    shutil.copytree(ROOT, project, ignore=ignore, symlinks=True)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


def make_offline(project: Path) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1717243200",
           "OFFLINE_FETCH_HOSTS": "127.0.0.1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pim.offline_edition", "--root", str(project)],
                            cwd=project, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"make offline failed in {project}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    lines = result.stdout.splitlines()
    summary = next((line for line in lines if line.startswith("Documents:")), "")
    steps = next((line for line in lines if line.startswith("Timings:")), "")
    return {"seconds": round(seconds, 2), "summary": summary, "steps": steps}


def offline_build_alone(project: Path, dest: Path) -> float:
    """What `make offline` did before documents and language editions: our offline build, one zip."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", "mkdocs-offline.yml",
                    "--site-dir", str(dest / "site")], cwd=project, check=True, capture_output=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    offline_zip.write_zip(dest / "site", dest / "one.zip", 1717243200)
    return round(time.perf_counter() - start, 2)


def zip_seconds(project: Path, workdir: Path) -> dict:
    """The five zips of the built edition, with documents stored as they are (as shipped) and with
    everything deflated: what storing compressed files saves."""
    from pim.documents import Documents
    from pim.offline_edition import write_zips

    documents = Documents.read(project / "dist" / "pim-guide-offline.documents.json")
    site = project / "dist" / "pim-guide-offline"
    result, shipped = {}, offline_zip.STORED_SUFFIXES
    for name, stored in (("stored", shipped), ("deflate_all", ())):
        offline_zip.STORED_SUFFIXES = stored
        start = time.perf_counter()
        zips = write_zips(site, workdir / f"zips-{name}", documents, 1717243200)
        result[f"{name}_s"] = round(time.perf_counter() - start, 2)
        result[f"{name}_bytes"] = sum(path.stat().st_size for path in zips)
    offline_zip.STORED_SUFFIXES = shipped
    return result


def plain_offline(project: Path, dest: Path) -> float:
    """Plain Material's offline build and one zip of it: what an offline edition costs at least."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--config-file", "mkdocs-offline.yml",
                    "--site-dir", str(dest / "site")], cwd=project, check=True, capture_output=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    offline_zip.write_zip(dest / "site", dest / "plain.zip", 1717243200)
    return round(time.perf_counter() - start, 2)


def zip_sizes(dist: Path) -> dict:
    return {name: (dist / name).stat().st_size for name in ZIPS}


def measure(name: str, project: Path, workdir: Path) -> dict:
    print(f"{name}: plain Material offline build ...", flush=True)
    plain = make_plain(workdir / f"plain-{name}", project)
    plain_seconds = plain_offline(plain, workdir / f"plain-{name}-out")
    print(f"{name}: our offline build alone (make offline before documents) ...", flush=True)
    alone = offline_build_alone(project, workdir / f"alone-{name}")
    print(f"{name}: make offline, empty cache ...", flush=True)
    hits = Documents.hits
    cold = make_offline(project)
    cold_hits = Documents.hits - hits
    first = {n: (project / "dist" / n).read_bytes() for n in ZIPS}
    print(f"{name}: make offline, with the cache ...", flush=True)
    warm = make_offline(project)
    warm_hits = Documents.hits - hits - cold_hits
    same = all((project / "dist" / n).read_bytes() == first[n] for n in ZIPS)
    files = project / "dist" / "pim-guide-offline" / "files"
    documents = [p for p in files.rglob("*") if p.is_file()] if files.is_dir() else []
    print(f"{name}: the zips, stored and all deflated ...", flush=True)
    zips = zip_seconds(project, workdir / f"zips-{name}")
    return {
        "plain_material_offline_s": plain_seconds,
        "offline_build_alone_s": alone,
        "cold": {**cold, "requests": cold_hits, "ratio_to_plain": round(cold["seconds"] / plain_seconds, 2),
                 "ratio_to_build_alone": round(cold["seconds"] / alone, 2)},
        "cached": {**warm, "requests": warm_hits, "ratio_to_plain": round(warm["seconds"] / plain_seconds, 2),
                   "ratio_to_build_alone": round(warm["seconds"] / alone, 2)},
        "zips": zips,
        "same_bytes_second_run": same,
        "documents": len(documents),
        "document_mb": round(sum(p.stat().st_size for p in documents) / MB, 1),
        "zip_bytes": zip_sizes(project / "dist"),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="copy the temporary projects here")
    args = parser.parse_args(argv)
    server, base = serve()
    workdir = Path(tempfile.mkdtemp(prefix="pim-offline-docs-"))
    try:
        results = {"default": measure("default content", copy_default(workdir), workdir)}
        synthetic = make_ours(workdir / "synthetic", args.products, LANGUAGES)
        point_files_at(synthetic, base)
        for path in (ROOT / "products").glob("*.md"):  # pages link to them, and `make offline` is strict
            shutil.copy(path, synthetic / "products" / path.name)
        results[f"{args.products} products"] = measure(f"{args.products} products", synthetic, workdir)
    finally:
        server.shutdown()
        if args.keep:
            shutil.copytree(workdir, args.keep, dirs_exist_ok=True, symlinks=True)
        shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for name, row in results.items():
        sizes = ", ".join(f"{n.removeprefix('pim-guide-offline').removesuffix('.zip') or 'all'} "
                          f"{size / MB:.1f} MB" for n, size in row["zip_bytes"].items())
        print(f"{name}: plain Material offline {row['plain_material_offline_s']} s, our offline build alone "
              f"{row['offline_build_alone_s']} s; make offline {row['cold']['seconds']} s empty cache "
              f"({row['cold']['ratio_to_build_alone']}x the build alone, {row['cold']['ratio_to_plain']}x plain; "
              f"{row['cold']['requests']} requests; {row['cold']['steps']}), {row['cached']['seconds']} s cached "
              f"({row['cached']['ratio_to_build_alone']}x, {row['cached']['ratio_to_plain']}x; "
              f"{row['cached']['requests']} requests; {row['cached']['steps']}); same bytes: "
              f"{row['same_bytes_second_run']}; {row['documents']} documents, {row['document_mb']} MB; zips: {sizes}; "
              f"five zips {row['zips']['stored_s']} s with documents stored, {row['zips']['deflate_all_s']} s "
              f"all deflated ({row['zips']['stored_bytes'] / MB:.1f} / {row['zips']['deflate_all_bytes'] / MB:.1f} MB)")
    print(f"Results: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
