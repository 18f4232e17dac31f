"""Server-rendered SVG bar charts: no JavaScript, no CDN, nothing inline for the CSP to refuse."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 220, 36, 24, 20


def bar_chart(points: list[tuple[str, float]], *, title: str, maximum: float | None = None) -> SafeString:
    """One bar per point, labelled below; the y axis runs from 0 to ``maximum`` (or the largest value)."""
    top = maximum or max((value for _, value in points), default=0.0) or 1.0
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    step = plot_w / max(len(points), 1)
    bars = []
    for index, (label, value) in enumerate(points):
        height = plot_h * min(value, top) / top
        x = LEFT + index * step
        numbers = (x + step * 0.1, TOP + plot_h - height, step * 0.8, height, x + step / 2)
        bars.append((label, f"{value:g}", *(f"{n:.1f}" for n in numbers)))
    body = format_html_join(
        "",
        '<g><title>{}: {}</title><rect class="report-bar" x="{}" y="{}" width="{}" height="{}"/>'
        '<text class="report-label" x="{}" y="' + str(HEIGHT - 8) + '" text-anchor="middle">{}</text></g>',
        ((label, value, x, y, w, h, cx, label) for label, value, x, y, w, h, cx in bars),
    )
    return format_html(
        '<svg class="report-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}"'
        ' xmlns="http://www.w3.org/2000/svg"><title>{}</title>'
        '<text class="report-label" x="{}" y="14">{}</text>'
        '<line class="report-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text class="report-label" x="2" y="{}">{}</text><text class="report-label" x="2" y="{}">0</text>{}</svg>',
        title,
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        title,
        LEFT,
        title,
        LEFT,
        TOP + plot_h,
        WIDTH - 8,
        TOP + plot_h,
        TOP + 8,
        top,
        TOP + plot_h,
        body,
    )
