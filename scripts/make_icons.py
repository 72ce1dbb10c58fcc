#!/usr/bin/env python3
"""Draws the app icons (a white house with a wrench-like door on teal) as PNGs, with no
dependencies beyond the standard library. Run from the repo root; writes public/icons/."""
import struct, zlib, os

TEAL = (15, 118, 110)
WHITE = (255, 255, 255)
AMBER = (245, 158, 11)

def draw(size, maskable):
    px = [[TEAL for _ in range(size)] for _ in range(size)]
    pad = size * (0.22 if maskable else 0.14)
    s = size - 2 * pad
    def inside_house(x, y):
        # roof triangle
        cx = pad + s / 2
        roof_top, roof_base = pad + s * 0.05, pad + s * 0.45
        if roof_top <= y <= roof_base:
            half = (y - roof_top) / (roof_base - roof_top) * s * 0.5
            return abs(x - cx) <= half
        # body
        return pad + s * 0.15 <= x <= pad + s * 0.85 and roof_base <= y <= pad + s * 0.95
    def inside_door(x, y):
        return pad + s * 0.42 <= x <= pad + s * 0.58 and pad + s * 0.65 <= y <= pad + s * 0.95
    for y in range(size):
        for x in range(size):
            if inside_door(x + .5, y + .5):
                px[y][x] = AMBER
            elif inside_house(x + .5, y + .5):
                px[y][x] = WHITE
    raw = b"".join(b"\x00" + bytes(c for p in row for c in p) for row in px)
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))

os.makedirs("public/icons", exist_ok=True)
for name, size, maskable in [("icon-192.png", 192, False), ("icon-512.png", 512, False), ("maskable-512.png", 512, True)]:
    with open(f"public/icons/{name}", "wb") as f:
        f.write(draw(size, maskable))
