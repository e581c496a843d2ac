"""The overview page opened in a real browser: the system's headless Chromium, with no network.

Chromium loads the page from disk with every host name unresolvable and a proxy that answers
nothing, so anything the page tried to fetch would be missing. Its rendered DOM must hold the
month's headline numbers exactly as summary.json has them (after replies recorded since the match
and a `hexiao report`) and the charts as SVG; its screenshot must
show something (more than a handful of distinct colours). Without Chromium the tests skip and say
so; under CI (`CI=true`, where `.ci/run` installs it) they fail instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import TwoMonths, reply_and_report
from hexiao.overview import write_overview

MONTH = "2026-11"
INSTALL = "apt-get install chromium fonts-noto-cjk"
NO_NETWORK = ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
HEADLESS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    *NO_NETWORK,
]


@dataclass(frozen=True)
class Rendered:
    summary: dict[str, object]
    dom: str
    screenshot: Path


def _chromium() -> str:
    program = shutil.which("chromium") or shutil.which("chromium-browser")
    if program is None:
        message = f"Chromium is not installed ({INSTALL})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must have it (.ci/run installs it)")
        pytest.skip(message)
    return program


@pytest.fixture(scope="module")
def rendered(two_months: TwoMonths, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The page rendered once for the module: its DOM after layout, and a screenshot."""
    program = _chromium()
    root = tmp_path_factory.mktemp("overview_render")
    db, out = reply_and_report(two_months, root)  # replies recorded after the match, then a report
    page = write_overview(month=MONTH, db=db, out=root / "page")
    url = page.resolve().as_uri()
    common = [program, *HEADLESS, f"--user-data-dir={root / 'profile'}"]
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, timeout=180, check=True)
    screenshot = root / "overview.png"
    subprocess.run(
        [*common, "--window-size=1200,1600", f"--screenshot={screenshot}", url],
        capture_output=True,
        timeout=180,
        check=True,
    )
    summary = json.loads((out / MONTH / "summary.json").read_text(encoding="utf-8"))
    return Rendered(summary, dom.stdout.decode("utf-8"), screenshot)


def test_the_rendered_page_holds_summary_json_headline_numbers(rendered: Rendered) -> None:
    cells = {
        key: (value, shown)
        for key, value, shown in re.findall(
            r'<td[^>]*data-key="(\w+)"[^>]*data-value="([^"]*)"[^>]*>([^<]*)</td>', rendered.dom
        )
    }
    for key in ("households_checked", "persons_checked", "households_warned", "persons_warned", "warnings"):
        assert cells[key] == (str(rendered.summary[key]), f"{rendered.summary[key]:,}"), key
    assert rendered.summary["recovered_total"] == 3001.5  # the replies recorded after the match count
    for key in ("overpayment_total", "recovered_total", "outstanding_total"):
        total = rendered.summary[key]
        assert isinstance(total, float)
        assert cells[key] == (str(total), f"{total:,.2f}"), key
    assert cells["overdue"] == (str(rendered.summary["overdue"]), f"{rendered.summary['overdue']:,}")


def test_the_rendered_page_holds_its_charts_as_svg_with_chinese_labels(rendered: Rendered) -> None:
    charts = re.findall(r"<svg\b.*?</svg>", rendered.dom, re.DOTALL)
    assert len(charts) >= 4
    assert any("城关镇" in chart for chart in charts) and any("新增" in chart for chart in charts)


def _distinct_colours(png: bytes, enough: int) -> int:
    """Distinct pixel values of an 8-bit RGB or RGBA PNG, counted from the top row down until
    `enough` are seen (the page's heading comes first, so a page that shows anything stops early)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, header = 8, b"", b""
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind, data = png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]
        header = data if kind == b"IHDR" else header
        idat += data if kind == b"IDAT" else b""
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    step = 3 if colour == 2 else 4
    stride = width * step
    raw = zlib.decompress(idat)
    previous, seen = bytearray(stride), set()
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):  # PNG's five filters (ISO 15948 §9)
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        seen.update(bytes(line[x : x + step]) for x in range(0, stride, step))
        if len(seen) >= enough:
            break
        previous = line
    return len(seen)


def test_the_screenshot_is_not_blank(rendered: Rendered) -> None:
    # Anti-aliased Chinese text alone gives dozens of shades.
    assert _distinct_colours(rendered.screenshot.read_bytes(), enough=16) >= 16


def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def test_the_blank_check_sees_a_blank_page_as_one_colour() -> None:
    """A white page whose rows use every filter (as an encoder may) is one colour, not five."""
    width, white = 40, b"\xff\xff\xff"
    first = b"\x00" + white * width  # None
    sub = b"\x01" + white + b"\x00" * 3 * (width - 1)
    up = b"\x02" + b"\x00" * 3 * width
    average = b"\x03" + bytes((255 - 127) & 255 for _ in range(3)) + b"\x00" * 3 * (width - 1)
    paeth = b"\x04" + b"\x00" * 3 * width
    assert _distinct_colours(_png(width, 5, [first, sub, up, average, paeth]), enough=16) == 1
    dot = b"\x02" + b"\x00" * 30 + b"\x80\x80\x80" + b"\x00" * (3 * width - 33)
    assert _distinct_colours(_png(width, 6, [first, sub, up, average, paeth, dot]), enough=16) == 2
