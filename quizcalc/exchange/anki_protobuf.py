"""Just enough protobuf to read the text fields of Anki's schema 18 configs.

Anki 2.1.28+ stores a note type's and a template's settings as protobuf messages
(``NotetypeConfig``: 3 ``css``; ``TemplateConfig``: 1 ``q_format``, 2 ``a_format``). Reading
those few strings does not need Anki's protobuf definitions.
"""

from __future__ import annotations

__all__ = ["protobuf_strings"]


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


def protobuf_strings(data: bytes) -> dict[int, str]:
    """The top-level length-delimited fields of a protobuf message, as text, by number.

    Enough to read a template's formats and a note type's CSS from Anki's schema 18 without
    Anki's own protobuf definitions; a damaged message yields what was read before the damage.
    """
    found: dict[int, str] = {}
    position = 0
    try:
        while position < len(data):
            key, position = _varint(data, position)
            number, wire = key >> 3, key & 7
            if wire == 0:
                _, position = _varint(data, position)
            elif wire == 1:
                position += 8
            elif wire == 5:
                position += 4
            elif wire == 2:
                length, position = _varint(data, position)
                chunk = data[position : position + length]
                position += length
                found.setdefault(number, chunk.decode("utf-8", "replace"))
            else:
                break
    except IndexError:
        pass
    return found
