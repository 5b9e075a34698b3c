#!/usr/bin/env python3
"""Checks that a PNG screenshot of the HTML report shows its charts, as a person would see them.

Usage: check_screenshot.py SCREENSHOT.png
Decodes the PNG with the standard library alone (8-bit RGB or RGBA, non-interlaced, as Chromium
writes them), then counts the pixels painted in the report's chart colours: the progress bars (green
when on target, amber when behind) and the program series (blue, pink, ...). Prints one JSON line
with the counts and exits 1 when the charts are missing or the page is blank.
"""
import json
import struct
import sys
import zlib

CHART_COLOURS = {
    "on_target": (0x05, 0x96, 0x69),
    "behind": (0xD9, 0x77, 0x06),
    "series_1": (0x25, 0x63, 0xEB),
    "series_2": (0xDB, 0x27, 0x77),
}


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, offset = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(line)
        previous = line
    return width, height, channels, rows


def main():
    width, height, channels, rows = decode(sys.argv[1])
    counts = {name: 0 for name in CHART_COLOURS}
    distinct = set()
    for line in rows:
        for x in range(0, len(line), channels):
            pixel = (line[x], line[x + 1], line[x + 2])
            distinct.add(pixel)
            for name, colour in CHART_COLOURS.items():
                if all(abs(a - b) <= 6 for a, b in zip(pixel, colour)):
                    counts[name] += 1
    result = {"width": width, "height": height, "distinct_colours": len(distinct), **counts}
    print(json.dumps(result))
    bars = counts["on_target"] + counts["behind"]
    series = counts["series_1"] + counts["series_2"]
    sys.exit(0 if bars > 500 and series > 100 and len(distinct) > 20 else 1)


if __name__ == "__main__":
    main()
