"""Writing a file so that it is either the old one or the new one, never half of each: the bytes go
to a temporary file beside it, which is then renamed over it (`make checksums`, `make new`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777  # an edited file keeps its permissions
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask  # a new one gets what open() would give it


def write_atomically(path: Path, data: bytes, *, new: bool = False) -> None:
    """`path` holds `data` afterwards, or, on any error, exactly what it held before. With `new`,
    FileExistsError when `path` exists: it is never overwritten."""
    path = Path(path)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _mode(path))
        if new:
            try:
                os.link(temporary, path)  # atomic, and fails when the file exists
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links
                if path.exists():
                    raise FileExistsError(path) from None
                os.replace(temporary, path)
        else:
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
