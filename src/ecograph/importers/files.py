"""Which input files an import reads: folders searched for a source's known files.

Importers read local files only. A URL given as a path (``http://…``, ``file://…``,
``ftp://…``; ``pathlib`` turns ``//`` into ``/``, so both spellings are recognised) is
refused before anything is opened: an import never makes a network request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from ecograph.errors import InputError

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:/")


def gather(paths: Sequence[Path], in_folder: Callable[[Path], list[Path]],
           check: Callable[[Path], None] | None = None) -> list[Path]:
    """Return the files named by *paths*: a folder gives ``in_folder(folder)``, a file
    itself (after ``check(file)``, which raises ``InputError`` for a wrong kind).

    Raises ``InputError`` for a URL, a path that does not exist or is not a regular file.
    """
    files: list[Path] = []
    for path in paths:
        refuse_url(path)
        if path.is_dir():
            files += in_folder(path)
        elif path.is_file():
            if check is not None:
                check(path)
            files.append(path)
        elif path.exists():
            raise InputError(f"{path}: not a regular file or folder")
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def refuse_url(path: Path | str) -> None:
    """Raise ``InputError`` when *path* is a URL: importers read local files only.

    >>> try:
    ...     refuse_url(Path("http://example.org/x.csv"))
    ... except InputError as error:
    ...     print(error.message[:60])
    http://example.org/x.csv: importers read local files only, n
    """
    text = str(path)
    if _URL.match(text):
        shown = re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*:)/(?!/)", r"\1//", text)
        raise InputError(f"{shown}: importers read local files only, not URLs; download the "
                         "file and give its local path")


def named(*names: str) -> Callable[[Path], list[Path]]:
    """A folder search for the files called *names* that are there, in that order."""
    return lambda folder: [folder / n for n in names if (folder / n).is_file()]
