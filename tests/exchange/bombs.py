"""Hostile files built cheaply: decompression bombs and oversized fields, in a few KB.

A zstd frame of RLE blocks (4 bytes each, 128 KiB of one byte when decompressed) expands
32,768-fold, so a 32 KB member is a 1 GiB collection; a deflate member of zeros expands about
1,000-fold. Nothing here holds the expanded bytes in memory.
"""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Sequence
from pathlib import Path

from tests.exchange.test_import_progress import SAMPLE, Row, write_collection

__all__ = ["big_field_package", "deflate_bomb", "rle_zstd", "zstd_bomb"]

_BLOCK = 128 * 1024


def rle_zstd(size: int, prefix: bytes = b"") -> bytes:
    """A zstd frame that expands to ``prefix`` then zeros, ``size`` bytes in all (RLE blocks)."""
    frame = bytearray(b"\x28\xb5\x2f\xfd\x00\x38")  # magic; no content size; 128 KiB window
    if prefix:
        frame += ((len(prefix) << 3) | 0).to_bytes(3, "little") + prefix  # a raw block
    rest = size - len(prefix)
    blocks = [_BLOCK] * (rest // _BLOCK) + ([rest % _BLOCK] if rest % _BLOCK else [])
    for index, length in enumerate(blocks):
        last = 1 if index == len(blocks) - 1 else 0
        frame += ((length << 3) | (1 << 1) | last).to_bytes(3, "little") + b"\x00"
    return bytes(frame)


def zstd_bomb(path: Path, size: int) -> Path:
    """An ``.apkg`` whose ``collection.anki21b`` starts like SQLite and expands to ``size``."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki21b", rle_zstd(size, b"SQLite format 3\x00"))
        archive.writestr("collection.anki2", b"please update")
    return path


def deflate_bomb(path: Path, size: int) -> Path:
    """An ``.apkg`` whose deflated ``collection.anki21`` is ``size`` zero bytes (streamed in)."""
    chunk = bytes(1 << 20)
    info = zipfile.ZipInfo("collection.anki21")
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open(info, "w", force_zip64=True) as member:
            for done in range(0, size, len(chunk)):
                member.write(chunk[: min(len(chunk), size - done)])
        archive.writestr("media", "{}")
    return path


def big_field_package(path: Path, field_bytes: int, rows: Sequence[Row] = SAMPLE) -> Path:
    """An ``.apkg`` (zstd, schema 11) whose first note's answer is ``field_bytes`` of ``x``."""
    import zstandard

    database = path.with_suffix(".sqlite")
    database.unlink(missing_ok=True)
    write_collection(database, rows)
    db = sqlite3.connect(database)
    db.execute(
        "UPDATE notes SET flds = substr(flds, 1, instr(flds, char(31)))"
        " || replace(CAST(zeroblob(?) AS TEXT), char(0), 'x') WHERE id = 1",
        (field_bytes,),
    )
    db.commit()
    db.close()
    with zipfile.ZipFile(path, "w") as archive, database.open("rb") as source:
        with archive.open("collection.anki21b", "w", force_zip64=True) as member:
            zstandard.ZstdCompressor(level=1).copy_stream(source, member)
        archive.writestr("collection.anki2", b"please update")
        archive.writestr("media", "{}")
    database.unlink()
    return path
