"""The offline edition as one zip that unpacks the same on Linux, Windows and macOS.

The same site folder and date always give the same bytes: entries are sorted, every entry has
the same timestamp (SOURCE_DATE_EPOCH) and permissions, and no extra fields are written.

    python -m pim.offline_zip SITE_DIR dist/pim-guide-offline.zip
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
import zipfile
from pathlib import Path

# Everything sits in one folder inside the zip, so unzipping never spills files around.
ZIP_ROOT = "pim-guide-offline"
# Used when SOURCE_DATE_EPOCH is unset (no git history): 2024-01-01 00:00 UTC.
FALLBACK_EPOCH = 1704067200
# Names Windows cannot create, whatever the extension.
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
WINDOWS_UNSAFE = re.compile(r'[<>:"\\|?*\x00-\x1f]')
# Files that are compressed already (PDF, Office and OpenDocument files, archives, images): stored
# as they are, since deflating them again costs time and gains next to nothing.
STORED_SUFFIXES = (".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub", ".zip", ".gz",
                   ".png", ".jpg", ".jpeg", ".webp", ".mp3", ".mp4")


def source_date_epoch(environ=os.environ) -> int:
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value else FALLBACK_EPOCH


def zip_date_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The epoch as a zip timestamp (UTC), kept inside the range zip can store."""
    stamp = time.gmtime(epoch)[:6]
    return max(stamp, (1980, 1, 1, 0, 0, 0))  # type: ignore[return-value]


def name_problem(relative: str) -> str | None:
    """Why a path inside the site cannot go into the zip, or None."""
    for part in relative.split("/"):
        if WINDOWS_UNSAFE.search(part):
            return f"{relative}: '{part}' has a character Windows does not allow in file names"
        if part.endswith((".", " ")):
            return f"{relative}: '{part}' ends with a dot or space, which Windows drops"
        if part.split(".")[0].upper() in WINDOWS_RESERVED:
            return f"{relative}: '{part}' is a reserved device name on Windows"
    return None


def site_files(site_dir: Path) -> list[tuple[str, Path]]:
    """(name in the zip, file) for every file of the site, sorted by name. Refuses symlinks,
    names unsafe on Windows, and names that differ only by case (they collide on Windows/macOS)."""
    found, problems, folded = [], [], {}
    for folder, dirs, files in os.walk(site_dir):
        for name in dirs + files:
            path = Path(folder, name)
            relative = path.relative_to(site_dir).as_posix()
            if path.is_symlink():
                problems.append(f"{relative}: is a symbolic link; the zip holds only plain files")
            elif problem := name_problem(relative):
                problems.append(problem)
            elif (other := folded.setdefault(relative.casefold(), relative)) != relative:
                problems.append(f"{relative}: differs only by case from {other}")
            elif name in files:
                found.append((f"{ZIP_ROOT}/{relative}", path))
        dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]
    if problems:
        raise ValueError("The site cannot be zipped for every system:\n" + "\n".join(sorted(problems)))
    return sorted(found)


def write_zip(site_dir: Path, dest: Path, epoch: int) -> Path:
    """Write the site folder as a reproducible zip; the file appears only when complete."""
    return write_entries(((name, path.read_bytes) for name, path in site_files(site_dir)), dest, epoch)


def write_entries(entries, dest: Path, epoch: int) -> Path:
    """Write (name, function giving the bytes) entries, in the order given, as a reproducible zip."""
    date_time = zip_date_time(epoch)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for arcname, content in entries:
            info = zipfile.ZipInfo(arcname, date_time)
            info.create_system = 3  # the same header bytes whichever system builds it
            info.external_attr = 0o100644 << 16  # a plain file, rw-r--r--
            stored = arcname.lower().endswith(STORED_SUFFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, content(), compresslevel=None if stored else 9)
    partial.replace(dest)
    return dest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksum(zip_path: Path) -> Path:
    """`<zip>.sha256` in the format `sha256sum -c` reads."""
    target = zip_path.with_name(zip_path.name + ".sha256")
    target.write_text(f"{sha256_of(zip_path)}  {zip_path.name}\n", encoding="ascii")
    return target


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1000 * 1000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1000 / 1000:.1f} MB"


def describe(zip_path: Path) -> dict:
    """What the download page shows: size, build date (the entries' fixed date) and checksum."""
    with zipfile.ZipFile(zip_path) as archive:
        stamp = max(info.date_time for info in archive.infolist())
    size = zip_path.stat().st_size
    return {
        "name": zip_path.name,
        "size_bytes": size,
        "size": human_size(size),
        "date": "{:04d}-{:02d}-{:02d}".format(*stamp[:3]),
        "sha256": sha256_of(zip_path),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pim.offline_zip", description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path, help="the built offline site")
    parser.add_argument("zip", type=Path, help="the zip to write")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print(f"{args.site_dir} has no index.html: build the offline site first (make offline).", file=sys.stderr)
        return 1
    try:
        write_zip(args.site_dir, args.zip, source_date_epoch())
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    write_checksum(args.zip)
    info = describe(args.zip)
    print(f"{args.zip}: {info['size']} ({info['size_bytes']:,} bytes), built {info['date']}, sha256 {info['sha256']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
