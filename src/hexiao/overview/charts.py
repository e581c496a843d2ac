"""The overview's charts: Vega-Lite specifications rendered to SVG by vl-convert, inline in the page.

vl-convert carries Vega and Vega-Lite inside its wheel and renders without a browser and without
the network; the page gets plain SVG (text stays `<text>`, so Chinese labels are drawn by the
reader's own fonts, selectable and searchable) and no script at all. Every label's font is a list
that office PCs have one of (Microsoft YaHei, SimSun) and a Linux desktop the other (Noto Sans CJK).
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl
import vl_convert

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, SimSun, sans-serif"
_CONFIG: dict[str, Any] = {
    "font": FONT_FAMILY,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
}
# The namespace declarations name w3.org: inline in HTML they are implied, and the page names no
# address at all.
_NAMESPACES = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')


def _svg(spec: dict[str, Any], title: str) -> str:
    svg = str(vl_convert.vegalite_to_svg({**spec, "config": _CONFIG}))
    return _NAMESPACES.sub("", svg).replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


def township_types(by_township: pl.DataFrame) -> str:
    """Persons warned per township, stacked by warning type."""
    return _svg(
        {
            "data": {"values": _records(by_township)},
            "mark": "bar",
            "width": 520,
            "encoding": {
                "y": {"field": "township", "type": "nominal", "title": "乡镇（街道）", "sort": "ascending"},
                "x": {"field": "persons", "type": "quantitative", "title": "预警人数", "stack": "zero"},
                # More types than the default ten colours: two types must never share one.
                "color": {"field": "label", "type": "nominal", "title": "预警类型", "scale": {"scheme": "tableau20"}},
                "order": {"field": "code"},
            },
        },
        "各乡镇各类预警人数",
    )


def trend(trend_frame: pl.DataFrame, kinds: tuple[str, ...]) -> str:
    """Per month: new, ongoing, resolved and 不属实 warnings side by side."""
    return _svg(
        {
            "data": {"values": _records(trend_frame)},
            "mark": "bar",
            "width": {"step": 12},
            "height": 220,
            "encoding": {
                "x": {"field": "month", "type": "ordinal", "title": "月份", "axis": {"labelAngle": 0}},
                "xOffset": {"field": "kind", "sort": list(kinds)},
                "y": {"field": "count", "type": "quantitative", "title": "预警条数"},
                "color": {"field": "kind", "type": "nominal", "title": "", "sort": list(kinds)},
            },
        },
        "各月预警变化",
    )


def reply_progress(replies: pl.DataFrame, kinds: tuple[str, ...]) -> str:
    """Per township, the month's warnings by their latest reply."""
    long = replies.unpivot(on=list(kinds), index="township", variable_name="reply", value_name="count")
    return _svg(
        {
            "data": {"values": _records(long)},
            "mark": "bar",
            "width": 520,
            "encoding": {
                "y": {"field": "township", "type": "nominal", "title": "乡镇（街道）"},
                "x": {"field": "count", "type": "quantitative", "title": "预警条数", "stack": "zero"},
                "color": {"field": "reply", "type": "nominal", "title": "核查结果", "sort": list(kinds)},
                "order": {"field": "reply_order"},
            },
            "transform": [{"calculate": f"indexof({list(kinds)!r}, datum.reply)", "as": "reply_order"}],
        },
        "各乡镇反馈进度",
    )


def recovery(money: pl.DataFrame) -> str:
    """Per township, what is to recover beside what was recovered (up to the month)."""
    long = money.select("township", pl.col("to_recover").alias("应追回"), pl.col("recovered").alias("已追回")).unpivot(
        index="township", variable_name="amount", value_name="yuan"
    )
    return _svg(
        {
            "data": {"values": _records(long)},
            "mark": "bar",
            "width": 520,
            "height": {"step": 10},  # each of the two bars of a township
            "encoding": {
                "y": {"field": "township", "type": "nominal", "title": "乡镇（街道）"},
                "yOffset": {"field": "amount", "sort": ["应追回", "已追回"]},
                "x": {"field": "yuan", "type": "quantitative", "title": "金额（元）"},
                "color": {"field": "amount", "type": "nominal", "title": "", "sort": ["应追回", "已追回"]},
            },
        },
        "各乡镇应追回与已追回金额",
    )
