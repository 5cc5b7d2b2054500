"""Problems found in data files, worded for contributors who are not programmers."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # relative to the repository root
    line: int
    field: str  # e.g. editions[0].files[1].url, or "file" for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    def annotation(self) -> str:
        """A GitHub Actions workflow command, so the error shows on the pull request's diff."""
        def escape(text: str, prop: bool = False) -> str:
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return text.replace(":", "%3A").replace(",", "%2C") if prop else text

        title = escape(f"{self.field}", prop=True)
        return f"::error file={escape(self.file, True)},line={self.line},title={title}::{escape(self.message)}"


def field_name(path: Iterable) -> str:
    """('editions', 0, 'files', 1, 'url') -> 'editions[0].files[1].url'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


def suggest(value: object, allowed: Iterable[str]) -> str:
    """' Did you mean "x"?' for the nearest allowed value, or ''."""
    if not isinstance(value, str):
        return ""
    allowed = list(allowed)
    folded = {a.casefold(): a for a in allowed}
    if value.casefold() in folded:
        return f' Did you mean "{folded[value.casefold()]}"?'
    close = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.6)
    return f' Did you mean "{folded[close[0]]}"?' if close else ""


def one_of(allowed: Iterable[str]) -> str:
    return ", ".join(f'"{a}"' for a in allowed)


def report(problems: list[Problem]) -> str:
    count = len(problems)
    lines = [str(p) for p in problems]
    lines.append(f"{count} problem{'s' if count != 1 else ''} found in the data files.")
    return "\n".join(lines)
