"""Bar charts as inline SVG, drawn on the server: no script, nothing to download, printable,
and readable at 390 px (the drawing scales to its box). Each chart is an image with a title and
a description that say in words what it shows; the page puts the same numbers in a table
beside it for anyone who cannot see it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count
from typing import Final

from markupsafe import Markup, escape

WIDTH: Final = 640
# Colour-blind-safe pairs (Okabe-Ito), each readable on white.
COLOURS: Final = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int | float]


TICKS: Final = 4


def _nice_max(value: float) -> float:
    """The axis' top: four steps of 1, 2 or 5 times a power of ten (at least 1, counts being
    whole), reaching the largest value."""
    if value <= 0:
        return TICKS
    rough = value / TICKS
    power = 10.0 ** math.floor(math.log10(rough))
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= rough)
    return float(max(step, 1) * TICKS)


def _number(value: float) -> str:
    return f"{value:g}"


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _frame(title: str, description: str, height: int, body: list[str]) -> Markup:
    ident = f"chart-{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="system-ui, sans-serif" font-size="13">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(description)}</desc>',
        *body,
        "</svg>",
    ]
    return Markup("".join(parts))


def _legend(series: Sequence[Series], y: int) -> list[str]:
    parts, x = [], 10
    for index, one in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}">{escape(one.name)}</text>')
        x += 28 + 8 * len(one.name)
    return parts


def column_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], description: str
) -> Markup:
    """Vertical bars, one group per label (a month), one bar per series."""
    height, top, bottom, left, right = 280, 30, 50, 44, 10
    plot_h, plot_w = height - top - bottom, WIDTH - left - right
    peak = _nice_max(max((v for s in series for v in s.values), default=0))
    body = _legend(series, 18)
    for tick in range(TICKS + 1):
        value = peak * tick / TICKS
        y = top + plot_h - plot_h * tick / TICKS
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#dde3ea"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_number(round(value, 1))}</text>"
        )
    groups = max(len(labels), 1)
    group_w = plot_w / groups
    bar_w = min(28.0, group_w * 0.8 / max(len(series), 1))
    for index, label in enumerate(labels):
        x0 = left + group_w * index + (group_w - bar_w * len(series)) / 2
        for number, one in enumerate(series):
            value = one.values[index] if index < len(one.values) else 0
            bar_h = plot_h * value / peak
            x, y = x0 + bar_w * number, top + plot_h - bar_h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{bar_h:.1f}" '
                f'fill="{COLOURS[number % len(COLOURS)]}"><title>{escape(one.name)}, '
                f"{escape(label)}: {_number(value)}</title></rect>"
            )
        centre = left + group_w * index + group_w / 2
        body.append(
            f'<text x="{centre:.1f}" y="{height - bottom + 18}" text-anchor="middle">'
            f"{escape(_short(label, 10))}</text>"
        )
    return _frame(title, description, height, body)


def bar_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], description: str
) -> Markup:
    """Horizontal bars, one group per label (a step, whose name is long), one bar per series."""
    left, right, top, bar_h = 250, 40, 30, 14
    group_h = bar_h * len(series) + 10
    height = top + group_h * max(len(labels), 1) + 10
    peak = _nice_max(max((v for s in series for v in s.values), default=0))
    plot_w = WIDTH - left - right
    body = _legend(series, 18)
    for index, label in enumerate(labels):
        y0 = top + group_h * index
        body.append(
            f'<text x="{left - 6}" y="{y0 + group_h / 2 + 2:.1f}" text-anchor="end">'
            f"{escape(_short(label, 30))}<title>{escape(label)}</title></text>"
        )
        for number, one in enumerate(series):
            value = one.values[index] if index < len(one.values) else 0
            width = plot_w * value / peak
            y = y0 + bar_h * number
            body.append(
                f'<rect x="{left}" y="{y:.1f}" width="{width:.1f}" height="{bar_h - 2}" '
                f'fill="{COLOURS[number % len(COLOURS)]}"><title>{escape(one.name)}, '
                f"{escape(label)}: {_number(value)}</title></rect>"
                f'<text x="{left + width + 4:.1f}" y="{y + bar_h - 4:.1f}">{_number(value)}</text>'
            )
    return _frame(title, description, int(height), body)
