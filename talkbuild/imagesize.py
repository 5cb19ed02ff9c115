"""A picture's size in pixels, read from the first bytes of its file: PNG, JPEG, GIF and WebP.

Pure Python and small on purpose (no Pillow): the handout gives each local picture its `width` and `height` so the
page keeps its place while the pictures arrive (handout_images.py). SVG is not read: its size is whatever its
`viewBox`, `width` and `height` say in CSS units, and it scales anyway.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

_MAX_SIDE = 1 << 16
"""No format here can say more (JPEG's 16 bits): a larger number is a damaged header."""


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of the picture at `path` as a browser shows it (a JPEG's EXIF rotation applied), or None
    when it is not a PNG, JPEG, GIF or WebP file, or its header cannot be read."""
    try:
        with path.open("rb") as f:
            head = f.read(32)
            size: tuple[int, ...] | None
            if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
                size = struct.unpack(">II", head[16:24])
            elif head[:6] in (b"GIF87a", b"GIF89a"):
                size = struct.unpack("<HH", head[6:10])
            elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
                size = _webp(head)
            elif head[:2] == b"\xff\xd8":
                f.seek(2)
                size = _jpeg(f)
            else:
                return None
    except (OSError, struct.error, IndexError):  # a file cut short reads as no size, never a crash
        return None
    if size is None or not all(0 < side <= _MAX_SIDE for side in size):
        return None
    return size[0], size[1]


def _webp(head: bytes) -> tuple[int, int] | None:
    if len(head) < 30:  # every kind's size ends by byte 30: a shorter file is cut short
        return None
    chunk = head[12:16]
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":  # lossy: a key frame's start code, then 14-bit sides
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and head[20] == 0x2F:  # lossless: 14 bits each, minus one
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":  # extended (alpha, animation): the canvas, 24 bits each, minus one
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    return None


_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""Start-of-frame markers (baseline, progressive, lossless...): they hold the size. C4, C8 and CC are not frames."""
_STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}
"""Markers without a length (restart markers, TEM)."""


def _jpeg(f: BinaryIO) -> tuple[int, int] | None:
    """Walk the segments up to the frame header; an EXIF orientation of 5 to 8 (turned a quarter) swaps the sides,
    as browsers show such a photo upright (CSS image-orientation: from-image)."""
    turned = False
    while True:
        byte = f.read(1)
        if byte != b"\xff":
            return None
        marker = f.read(1)
        while marker == b"\xff":  # fill bytes
            marker = f.read(1)
        if not marker:
            return None
        code = marker[0]
        if code in _STANDALONE:
            continue
        if code in (0xD9, 0xDA):  # end of image, start of scan: no frame header before the picture data
            return None
        length = struct.unpack(">H", f.read(2))[0]
        if length < 2:
            return None
        if code in _SOF:
            height, width = struct.unpack(">xHH", f.read(5))
            return (height, width) if turned else (width, height)
        body = f.read(length - 2)
        if code == 0xE1 and body.startswith(b"Exif\0\0"):
            turned = _exif_orientation(body[6:]) in (5, 6, 7, 8)


def _exif_orientation(tiff: bytes) -> int:
    """The Orientation tag (0x0112) of the first image directory of an EXIF block; 1 (upright) when absent."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return 1
    (offset,) = struct.unpack(order + "I", tiff[4:8])
    if offset + 2 > len(tiff):
        return 1
    (count,) = struct.unpack(order + "H", tiff[offset:offset + 2])
    for i in range(count):
        entry = tiff[offset + 2 + 12 * i:offset + 14 + 12 * i]
        if len(entry) < 12:
            break
        tag, kind, _n = struct.unpack(order + "HHI", entry[:8])
        if tag == 0x0112 and kind == 3:  # a SHORT, kept in the entry itself
            return int(struct.unpack(order + "H", entry[8:10])[0])
    return 1
