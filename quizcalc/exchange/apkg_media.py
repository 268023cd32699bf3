"""An Anki package's media list: counted, sized and checked, never trusted.

Media files sit in the package as members ``0``, ``1``, … and the ``media`` member maps them
to file names: JSON (``{"0": "cat.jpg"}``) in older packages, zstd-compressed protobuf
(``MediaEntries``) in packages from Anki 2.1.50 on. Notes keep their media references; an
import copies the files they name into the collection's media folder
(:func:`copy_package_media`), from which an export puts them back. The list is checked: a
package listing more media files, or more bytes of them, than the caps allow is refused, and
a name that would land outside a media folder (``../x``, ``/etc/x``, ``C:x``, a NUL) is
reported and never used as a path. :func:`media_path` is the one way to turn a listed name
into a path.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from quizcalc.exchange.limits import ImportLimits, size_text, too_large
from quizcalc.exchange.model import ExchangeError

__all__ = [
    "MediaList",
    "copy_package_media",
    "media_name_problem",
    "media_path",
    "media_references",
    "read_media_list",
]

MEDIA_MEMBER = "media"
_NOT_MEDIA = {"media", "meta", "collection.anki21b", "collection.anki21", "collection.anki2"}
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_DRIVE = re.compile(r"^[A-Za-z]:")
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?$", re.IGNORECASE)


@dataclass
class MediaList:
    """The media names a package lists (member → name) and the names refused, with why."""

    names: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    """One line per refused name or unreadable list (for the import report)."""


def media_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file directly inside a media folder, or None when it can."""
    if not name or name in {".", ".."}:
        return "is empty or a folder reference"
    if "\x00" in name:
        return "holds a NUL character"
    if any(ord(char) < 32 for char in name):
        return "holds a control character"
    if "/" in name or "\\" in name:
        return "holds a path separator (it would leave the media folder)"
    if _DRIVE.match(name):
        return "starts with a Windows drive name"
    if _RESERVED.match(name):
        return "is a reserved Windows device name"
    return None


def media_path(folder: Path, name: str) -> Path:
    """``folder / name`` for a safe media name; :class:`ExchangeError` for any other."""
    problem = media_name_problem(name)
    if problem is None:
        target = folder / name
        if target.resolve().parent == folder.resolve():
            return target
        problem = "would leave the media folder"
    raise ExchangeError(f"media file name {name!r} {problem}; not used")


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


def _fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """The (field number, value) pairs of one protobuf message (varints and byte strings)."""
    found: list[tuple[int, int | bytes]] = []
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
            found.append((number, value))
        elif wire == 2:
            length, position = _varint(data, position)
            if position + length > len(data):
                raise ValueError("truncated field")
            found.append((number, data[position : position + length]))
            position += length
        elif wire in (1, 5):
            position += 8 if wire == 1 else 4
        else:
            raise ValueError(f"unknown wire type {wire}")
    return found


def _names(raw: bytes, limit: int) -> list[str]:
    """The names in a ``media`` member, in member order (``0``, ``1``, …)."""
    if raw.startswith(_ZSTD_MAGIC):
        import zstandard

        with zstandard.ZstdDecompressor().stream_reader(raw) as reader:
            raw = reader.read(limit + 1)
        if len(raw) > limit:
            raise ValueError("the media list is too large")
        entries = [v for n, v in _fields(raw) if n == 1 and isinstance(v, bytes)]
        names = []
        for entry in entries:
            name = next((v for n, v in _fields(entry) if n == 1 and isinstance(v, bytes)), b"")
            names.append(name.decode("utf-8"))
        return names
    mapping = json.loads(raw.decode("utf-8") or "{}")
    if not isinstance(mapping, dict):
        raise ValueError("expected a JSON object")
    return [str(mapping[key]) for key in sorted(mapping, key=lambda k: (len(k), k))]


def _zstd_error() -> type[Exception]:
    import zstandard

    error: type[Exception] = zstandard.ZstdError
    return error


def read_media_list(path: Path, archive: zipfile.ZipFile, limits: ImportLimits) -> MediaList:
    """Check the package's media against ``limits``; the names that may be used, the rest why.

    Raises :class:`~quizcalc.exchange.limits.ImportTooLarge` past the media caps (count or total
    size, as the zip directory declares them). An unreadable list is reported, not fatal.
    """
    members = [info for info in archive.infolist() if info.filename not in _NOT_MEDIA]
    if len(members) > limits.max_media_files:
        raise too_large(
            path,
            f"holds {len(members):,} media files, more than {limits.max_media_files:,}",
            "import_max_media_files",
        )
    total = sum(info.file_size for info in members)
    if total > limits.max_media_bytes:
        raise too_large(
            path,
            f"holds {size_text(total)} of media, more than {size_text(limits.max_media_bytes)}",
            "import_max_media_mib",
        )
    media = MediaList()
    if MEDIA_MEMBER not in archive.namelist():
        return media
    limit = 64 * 1024 * 1024
    try:
        with archive.open(MEDIA_MEMBER) as handle:
            raw = handle.read(limit + 1)
        names = _names(raw[: limit + 1], limit)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error, _zstd_error()) as exc:
        # Any damage: media are not imported, so say so and go on.
        media.refused.append(f"the media list is unreadable ({type(exc).__name__}); ignored")
        return media
    if len(names) > limits.max_media_files:
        raise too_large(
            path,
            f"lists {len(names):,} media files, more than {limits.max_media_files:,}",
            "import_max_media_files",
        )
    for index, name in enumerate(names):
        problem = media_name_problem(name)
        if problem is None:
            media.names[str(index)] = name
        else:
            media.refused.append(f"media file name {name!r} {problem}; not used")
    return media


_REFERENCE = re.compile(r"""<img\b[^>]*?\bsrc=["']([^"']+)["']|\[sound:([^\]]+)\]""", re.IGNORECASE)


def media_references(fields: Iterable[str]) -> set[str]:
    """The media names Anki note ``fields`` show (``<img src>``) or play (``[sound:…]``)."""
    found: set[str] = set()
    for value in fields:
        for match in _REFERENCE.finditer(value):
            found.add(html.unescape(match[1] or match[2]).strip())
    return {name for name in found if media_name_problem(name) is None}


def copy_package_media(
    path: Path, folder: Path, limits: ImportLimits, wanted: set[str] | None = None
) -> int:
    """Copy the media files of the package ``path`` (those in ``wanted``, else all) into
    ``folder``.

    Returns how many were copied. A package from Anki 2.1.50 on (``collection.anki21b``)
    stores each file zstd-compressed. Raises :class:`OSError` when ``folder`` cannot be
    written; a damaged package member is skipped (the reference stays).
    """
    copied = 0
    with zipfile.ZipFile(path) as archive:
        media = read_media_list(path, archive, limits)
        members = set(archive.namelist())
        compressed = "collection.anki21b" in members
        for member, name in media.names.items():
            if (wanted is not None and name not in wanted) or member not in members:
                continue
            try:
                data = archive.read(member)
                if compressed and data.startswith(_ZSTD_MAGIC):
                    import zstandard

                    with zstandard.ZstdDecompressor().stream_reader(data) as reader:
                        data = reader.read(limits.max_media_bytes + 1)
            except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error, _zstd_error()):
                continue
            folder.mkdir(parents=True, exist_ok=True)
            media_path(folder, name).write_bytes(data[: limits.max_media_bytes])
            copied += 1
    return copied
