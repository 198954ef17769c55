"""Contrast measured on pixels: what a person sees, whatever palette or style sheet drew it."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QWidget


def _luminance(colour: QColor) -> float:
    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: QColor, second: QColor) -> float:
    """WCAG 2's contrast ratio, written here apart from the app's own so a mistake there
    cannot hide itself."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_contrast(image: QImage, rect: QRect) -> float:
    """The contrast of text in ``rect`` of ``image``: the most common colour is the
    background, the pixel that differs most from it is the core of a glyph's stroke."""
    area = rect.intersected(image.rect())
    counts: Counter[int] = Counter(
        image.pixel(x, y)
        for y in range(area.top(), area.bottom() + 1)
        for x in range(area.left(), area.right() + 1)
    )
    if not counts:
        return 21.0
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    return max(contrast(QColor.fromRgb(pixel), background) for pixel in counts)


def text_labels(window: QWidget) -> list[QLabel]:
    """The visible labels with text in ``window`` (the ones a person reads)."""
    return [
        label
        for label in window.findChildren(QLabel)
        if label.isVisible() and label.text() and label.width() > 1 and label.height() > 1
    ]


def unreadable(window: QWidget, image: QImage, scale: float = 1.0) -> list[str]:
    """Each visible label of ``window`` whose text measures under 4.5:1 in ``image`` (a grab
    of the window), as ``"text: ratio"``."""
    bad: list[str] = []
    for widget in text_labels(window):
        top_left = widget.mapTo(window, QPoint(0, 0))
        rect = QRect(
            round(top_left.x() * scale),
            round(top_left.y() * scale),
            round(widget.width() * scale),
            round(widget.height() * scale),
        )
        ratio = text_contrast(image, rect)
        if ratio < 4.5:
            bad.append(f"{widget.text()[:40]!r}: {ratio:.2f}")
    return bad
