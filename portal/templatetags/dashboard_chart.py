"""The dashboard chart: the author's reads, likes and collects per article as inline SVG.

Rendered on the server (no charting library, no JavaScript): a few rectangles and labels,
escaped by the template engine like any other text. Bar widths are percentages of the SVG's
own width and text sizes are pixels, so the chart fills a phone or a desktop column and its
labels stay legible at both.
"""

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

register = template.Library()

SPAN = 85.0  # percent of the width the longest bar takes; the numbers sit right of it
LABEL_H = 20  # px: the article's title line
BAR_H = 10
BAR_GAP = 3
ROW_GAP = 12
TITLE_CHARS = 60

METRICS = (("read_cnt", "c-read"), ("like_cnt", "c-like"), ("collect_cnt", "c-collect"))


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


@register.inclusion_tag("portal/_chart.html")
def engagement_chart(rows):
    """``rows``: ``(article, engagement)`` pairs as on the dashboard; at most UI_CHART_MAX_ARTICLES.

    Each metric has its own scale (its largest value spans the width), so likes stay visible
    next to reads that are ten times larger; the numbers are printed beside every bar.
    """
    rows = list(rows)[: settings.UI_CHART_MAX_ARTICLES]
    names = {"read_cnt": _("Reads"), "like_cnt": _("Likes"), "collect_cnt": _("Collects")}
    peaks = {m: max([getattr(c, m) for _a, c in rows] + [1]) for m, _cls in METRICS}
    bars, y = [], 0
    for article, counts in rows:
        entry = {"id": article.id, "title": _short(article.title), "full_title": article.title,
                 "label_y": y + 13, "bars": []}
        y += LABEL_H
        for metric, css in METRICS:
            value = getattr(counts, metric)
            width = round(SPAN * value / peaks[metric], 1)
            entry["bars"].append({
                # Strings, so no locale's number format ever reaches an SVG attribute.
                "y": y, "width": f"{max(width, 0.5 if value else 0):.1f}", "value": value, "css": css,
                "text_x": f"{width + 1.5:.1f}", "text_y": y + BAR_H - 1, "name": names[metric],
            })
            y += BAR_H + BAR_GAP
        y += ROW_GAP
        bars.append(entry)
    return {"rows": bars, "height": max(y, 1), "bar_h": BAR_H, "span": f"{SPAN:.1f}", "names": names,
            "shown": len(rows)}
