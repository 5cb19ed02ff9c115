"""Small pictures for tests, written byte by byte: PNG, GIF, JPEG and WebP headers (no imaging library)."""

from __future__ import annotations

import struct
import zlib


def png(width: int, height: int, colour: tuple[int, int, int] = (0x88, 0x44, 0x22)) -> bytes:
    """A PNG of one colour (a real one: browsers show it)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def gif_header(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00;"


def jpeg_header(width: int, height: int, orientation: int | None = None, exif_order: str = "<",
                padding: int = 0) -> bytes:
    """A JPEG's segments up to its frame header: JFIF, EXIF (with `orientation`), a large comment of `padding`
    bytes (an embedded thumbnail or colour profile comes before the frame in the same way), then SOF2."""
    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body
    out = b"\xff\xd8" + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    if orientation is not None:
        mark = b"II" if exif_order == "<" else b"MM"
        entry = struct.pack(exif_order + "HHI", 0x0112, 3, 1) + struct.pack(exif_order + "HH", orientation, 0)
        other = struct.pack(exif_order + "HHII", 0x010F, 2, 4, 0)  # Make, before it
        tiff = mark + struct.pack(exif_order + "HI", 42, 8) + struct.pack(exif_order + "H", 2) + other + entry + b"\0" * 4
        out += segment(0xE1, b"Exif\x00\x00" + tiff)
    while padding > 0:
        n = min(padding, 65000)
        out += segment(0xFE, b"x" * n)
        padding -= n
    return out + b"\xff\xff" + segment(0xC2, struct.pack(">BHHB", 8, height, width, 3) + b"\x00" * 9)


def webp_header(width: int, height: int, kind: str) -> bytes:
    """The first chunk of a WebP file: "VP8 " (lossy), "VP8L" (lossless) or "VP8X" (extended)."""
    if kind == "VP8 ":
        data = b"\x10\x02\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height) + b"\x00" * 8
    elif kind == "VP8L":
        bits = (width - 1) | ((height - 1) << 14)
        data = b"\x2f" + bits.to_bytes(4, "little") + b"\x00" * 8
    else:
        data = b"\x10\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    chunk = kind.encode() + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk
