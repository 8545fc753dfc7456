"""Files the command line writes (reports, briefings): whole or not at all.

Takes a path and the bytes; writes them to a temporary file beside the path, flushes it to disk
and renames it over the path, so a full disk, a read-only folder or a crash leaves the old file
(or none), never a truncated HTML page or an empty PDF. Every failure is an ``OutputError``.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from geo.errors import OutputError


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically.

    Raises
    ------
    OutputError
        ``path`` is a folder (``out_is_folder``), its folder does not exist (``out_no_folder``),
        or writing failed: no permission, a read-only or full disk (``out_write_failed``).
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"--out {str(path)!r} is a folder; give a file name", code="out_is_folder")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"the folder of --out {str(path)!r} does not exist", code="out_no_folder")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as err:
        raise _failed(path, err) from err
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise _failed(path, err) from err


def _failed(path: Path, err: OSError) -> OutputError:
    why = {errno.ENOSPC: "the disk is full", errno.EROFS: "the disk is read-only",
           errno.EACCES: "no permission", errno.EDQUOT: "the disk quota is used up"}.get(err.errno or 0, str(err))
    return OutputError(f"cannot write --out {str(path)!r}: {why}; nothing was written", code="out_write_failed")
