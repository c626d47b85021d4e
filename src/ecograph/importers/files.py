"""Which input files an import reads: folders searched for a source's known files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ecograph.errors import InputError


def gather(paths: Sequence[Path], in_folder: Callable[[Path], list[Path]],
           check: Callable[[Path], None] | None = None) -> list[Path]:
    """Return the files named by *paths*: a folder gives ``in_folder(folder)``, a file
    itself (after ``check(file)``, which raises ``InputError`` for a wrong kind).

    Raises ``InputError`` for a path that does not exist.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += in_folder(path)
        elif path.is_file():
            if check is not None:
                check(path)
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def named(*names: str) -> Callable[[Path], list[Path]]:
    """A folder search for the files called *names* that are there, in that order."""
    return lambda folder: [folder / n for n in names if (folder / n).is_file()]
