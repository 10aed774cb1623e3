"""Decoding of text files with precise messages (shared by the text-based readers)."""

from __future__ import annotations

from pathlib import Path

from ingest.types import Location, Problem


def read_utf8(path: Path) -> tuple[str | None, list[Problem]]:
    """Return the file's text (UTF-8, BOM allowed), or the problems that stop reading it.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    text : str or None
        The decoded text, or None if it could not be read.
    problems : list of Problem
        Empty on success; otherwise one problem saying where the file is not UTF-8, or that it is
        empty or unreadable.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(Location(str(path)), f"cannot read the file: {error.strerror}")]
    if not data.strip():
        return None, [Problem(Location(str(path)), "the file is empty")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(
                Location(str(path), line),
                f"not valid UTF-8 (byte 0x{data[error.start]:02X} at offset {error.start}); "
                "save the file with UTF-8 encoding",
            )
        ]
