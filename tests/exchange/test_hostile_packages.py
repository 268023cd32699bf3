"""Hostile Anki packages: bombs and huge fields are refused by a cap that is named, media names
never leave their folder, and a refused import changes nothing."""

from __future__ import annotations

import json
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.exchange.apkg_import import read_apkg
from quizcalc.exchange.apkg_media import media_name_problem, media_path
from quizcalc.exchange.limits import MIB, ImportLimits, ImportTooLarge
from quizcalc.exchange.model import ExchangeError
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.exchange.bombs import big_field_package, deflate_bomb, rle_zstd, zstd_bomb
from tests.exchange.test_import_progress import SAMPLE, write_package

RAISE = "raise it in config.toml if you trust this file"
SMALL = ImportLimits(max_collection_bytes=MIB, max_field_bytes=64 * 1024)


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Imported review days follow the local time zone: pin it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_zstd_bomb_is_refused_by_the_collection_cap_not_blamed_on_the_format(
    tmp_path: Path,
) -> None:
    path = zstd_bomb(tmp_path / "bomb.apkg", 64 * MIB)  # 2 KB on disk
    with pytest.raises(ImportTooLarge) as caught:
        read_apkg(path, SMALL)
    assert str(caught.value) == (
        f"{path}: collection.anki21b expands past 1 MiB (import_max_collection_mib); {RAISE}"
    )


def test_a_deflate_bomb_is_refused_before_it_is_decompressed(tmp_path: Path) -> None:
    path = deflate_bomb(tmp_path / "bomb.apkg", 3 * MIB)
    with pytest.raises(ImportTooLarge, match=r"collection.anki21 expands past 1 MiB"):
        read_apkg(path, SMALL)


def test_the_default_collection_cap_is_256_mib(tmp_path: Path) -> None:
    assert ImportLimits().max_collection_bytes == 256 * MIB
    assert ImportLimits.from_config(Config(import_max_collection_mib=3)).max_collection_bytes == (
        3 * MIB
    )


def test_a_field_past_the_cap_is_refused_naming_note_and_field(tmp_path: Path) -> None:
    path = big_field_package(tmp_path / "big.apkg", 100 * 1024)
    with pytest.raises(ImportTooLarge) as caught:
        read_apkg(path, SMALL)
    assert str(caught.value) == (
        f"{path}: note 1: field 2 is larger than 64 KiB (import_max_field_kib); {RAISE}"
    )
    assert read_apkg(path, ImportLimits()).cards  # under the default 1 MiB it imports


def test_too_many_rows_are_refused(tmp_path: Path) -> None:
    path = write_package(tmp_path / "sample.apkg", SAMPLE)
    with pytest.raises(ImportTooLarge, match=r"holds 3 cards, more than 2 \(import_max_rows\)"):
        read_apkg(path, ImportLimits(max_rows=2))


def _with_media(path: Path, names: list[str], sizes: int = 10) -> Path:
    write_package(path, SAMPLE)
    with zipfile.ZipFile(path, "a") as archive:
        for index in range(len(names)):
            archive.writestr(str(index), b"m" * sizes)
    data = path.read_bytes()
    manifest = json.dumps({str(i): name for i, name in enumerate(names)})
    rebuilt = path.with_name("rebuilt.apkg")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for info in source.infolist():
            body = manifest.encode() if info.filename == "media" else source.read(info)
            target.writestr(info.filename, body)
    assert data  # the original stays readable for the test's eye
    rebuilt.replace(path)
    return path


def test_media_count_and_size_caps(tmp_path: Path) -> None:
    path = _with_media(tmp_path / "media.apkg", ["a.png", "b.png", "c.png"], sizes=1000)
    with pytest.raises(ImportTooLarge, match=r"3 media files, more than 2 \(import_max_media"):
        read_apkg(path, ImportLimits(max_media_files=2))
    with pytest.raises(ImportTooLarge, match=r"2\.9 KiB of media, more than 2 KiB \(import_max"):
        read_apkg(path, ImportLimits(max_media_bytes=2048))


HOSTILE_NAMES = {
    "parent": "../evil.sh",
    "deep parent": "a/../../evil",
    "absolute": "/etc/passwd",
    "backslash parent": "..\\evil.bat",
    "nul": "cat\x00.png",
    "drive": "C:evil.png",
    "drive root": "C:\\Windows\\evil.dll",
    "dot dot": "..",
    "device": "CON.png",
}


@pytest.mark.parametrize("case", HOSTILE_NAMES)
def test_a_media_name_never_escapes_its_folder(tmp_path: Path, case: str) -> None:
    name = HOSTILE_NAMES[case]
    assert media_name_problem(name) is not None
    with pytest.raises(ExchangeError, match="not used"):
        media_path(tmp_path, name)
    path = _with_media(tmp_path / "media.apkg", ["ok.png", name])
    deck = read_apkg(path)
    refused = [p.message for p in deck.problems if "media file name" in p.message]
    assert refused == [f"media file name {name!r} {media_name_problem(name)}; not used"]
    assert len(deck.cards) == 3  # the notes' text is imported all the same


def test_an_ordinary_media_name_stays_in_its_folder(tmp_path: Path) -> None:
    assert media_path(tmp_path, "cat 1.png") == tmp_path / "cat 1.png"


def test_the_new_media_list_format_is_read(tmp_path: Path) -> None:
    import zstandard

    def entry(name: str) -> bytes:
        encoded = name.encode()
        inner = b"\x0a" + bytes([len(encoded)]) + encoded + b"\x10\x05"
        return b"\x0a" + bytes([len(inner)]) + inner

    manifest = zstandard.ZstdCompressor().compress(entry("ok.png") + entry("../x.png"))
    path = write_package(tmp_path / "new.apkg", SAMPLE)
    rebuilt = tmp_path / "rebuilt.apkg"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for info in source.infolist():
            target.writestr(
                info.filename, manifest if info.filename == "media" else source.read(info)
            )
    problems = [p.message for p in read_apkg(rebuilt).problems if "media" in p.message]
    separator = "holds a path separator (it would leave the media folder)"
    assert problems == [f"media file name '../x.png' {separator}; not used"]


def _dump(db_url: str) -> list[str]:
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_a_refused_package_leaves_the_collection_unchanged_and_follows_the_setting(
    db_url: str, tmp_path: Path
) -> None:
    service = StudyService.open(db_url, Config(import_max_collection_mib=1))
    try:
        service.import_path(write_package(tmp_path / "ok.apkg", SAMPLE), FIXED_NOW)
        before = _dump(db_url)
        bomb = zstd_bomb(tmp_path / "bomb.apkg", 8 * MIB)
        report = service.import_path(bomb, FIXED_NOW, with_progress=True)
    finally:
        service.close()
    assert report.skipped_sources == [
        f"{bomb.resolve()}: collection.anki21b expands past 1 MiB (import_max_collection_mib); "
        f"{RAISE} (nothing imported)"
    ]
    assert _dump(db_url) == before


def test_the_rle_bomb_helper_really_expands(tmp_path: Path) -> None:
    import zstandard

    frame = rle_zstd(300_000, b"head")
    assert len(frame) < 100
    out = zstandard.ZstdDecompressor().stream_reader(frame, read_across_frames=True).read(10**6)
    assert out[:4] == b"head" and len(out) == 300_000
