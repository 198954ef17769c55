"""The app's look: the platform's own style, or Fusion with a light or dark palette, and
every text colour in it readable (WCAG AA: 4.5:1 against its background).

Its own module so the app can apply the saved appearance at start-up without loading the
settings dialog (and the account check behind it). Colours for quiet notes, errors and
warnings are derived from the palette in use, and :func:`set_tone` re-derives them when the
look changes at run time, so no label keeps a colour chosen for the other theme.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette, qGray
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyle  # its type costs ~7 ms to make; only hinted here

__all__ = [
    "AA",
    "TEXT_PAIRS",
    "Tone",
    "apply_appearance",
    "contrast",
    "dark_palette",
    "follow_palette",
    "mix",
    "plain_items",
    "readable",
    "readable_palette",
    "set_tone",
    "tone",
    "tone_colour",
]

AA = 4.5
"""WCAG AA's least contrast for text."""

TONE_CONTRAST = 5.0
"""What :func:`tone_colour` aims at: AA with a margin for the panes styles draw a shade off
the window colour (a tab page, a group box)."""

UI_CONTRAST = 3.0
"""WCAG's least contrast for the outline of a control (a checkbox's box)."""

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

TEXT_PAIRS: tuple[tuple[QPalette.ColorRole, QPalette.ColorRole], ...] = (
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.Text, Role.Window),  # read-only text and spin boxes drawn on the window
    (Role.ButtonText, Role.Button),
    (Role.ButtonText, Role.Window),
    (Role.WindowText, Role.Button),  # labels on tab pages, which styles paint near Button
    (Role.HighlightedText, Role.Highlight),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
    (Role.Link, Role.Base),
    (Role.Link, Role.Window),
    (Role.LinkVisited, Role.Base),
    (Role.LinkVisited, Role.Window),
)
"""Every (text, background) pair of palette roles the widgets draw text with."""

Tone = Literal["text", "muted", "error", "warning"]

_TONES: dict[str, tuple[str, str]] = {
    "error": ("#c62828", "#ff8a80"),
    "warning": ("#8a5a00", "#ffcc80"),
}
"""Hues (light palette, dark palette) for errors and warnings, made readable on use."""

_system_look: tuple[str, QPalette] | None = None


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG's contrast ratio of two opaque colours (1 to 21)."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def mix(colour: QColor, other: QColor, amount: float) -> QColor:
    """``colour`` moved ``amount`` (0..1) of the way to ``other``, opaque."""
    return QColor.fromRgbF(
        colour.redF() + (other.redF() - colour.redF()) * amount,
        colour.greenF() + (other.greenF() - colour.greenF()) * amount,
        colour.blueF() + (other.blueF() - colour.blueF()) * amount,
    )


def _flatten(colour: QColor, background: QColor) -> QColor:
    """A translucent colour as it shows on ``background``."""
    return mix(background, colour, colour.alphaF()) if colour.alpha() < 255 else colour


def readable(colour: QColor, background: QColor, minimum: float = AA) -> QColor:
    """``colour`` (its hue kept as far as possible), moved toward black or white just enough
    to reach ``minimum`` contrast on ``background``."""
    colour = _flatten(colour, background)
    if contrast(colour, background) >= minimum:
        return colour
    black, white = QColor(0, 0, 0), QColor(255, 255, 255)
    end = black if contrast(black, background) >= contrast(white, background) else white
    for step in range(1, 21):
        moved = mix(colour, end, step / 20)
        if contrast(moved, background) >= minimum:
            return moved
    return end


def readable_palette(palette: QPalette) -> QPalette:
    """``palette`` with every text role of :data:`TEXT_PAIRS` readable on its backgrounds,
    in each colour group (disabled text too: it still says something)."""
    fixed = QPalette(palette)
    for group in (Group.Active, Group.Inactive, Group.Disabled):
        for text_role, back_role in TEXT_PAIRS:
            colour = fixed.color(group, text_role)
            background = fixed.color(group, back_role)
            if contrast(_flatten(colour, background), background) < AA:
                fixed.setColor(group, text_role, readable(colour, background))
    return fixed


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style, every text readable, disabled text included."""
    palette = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    disabled = QColor(150, 150, 150)
    roles = {
        Role.Window: window,
        Role.WindowText: text,
        Role.Base: base,
        Role.AlternateBase: QColor(40, 40, 43),
        Role.ToolTipBase: window,
        Role.ToolTipText: text,
        Role.PlaceholderText: QColor(160, 160, 160),
        Role.Text: text,
        Role.Button: window,
        Role.ButtonText: text,
        Role.BrightText: QColor(255, 90, 90),
        Role.Light: QColor(80, 80, 84),
        Role.Midlight: QColor(65, 65, 68),
        Role.Mid: QColor(38, 38, 40),
        Role.Dark: QColor(25, 25, 27),
        Role.Shadow: QColor(0, 0, 0),
        Role.Link: QColor(100, 170, 255),
        Role.LinkVisited: QColor(170, 140, 255),
        Role.Highlight: QColor(38, 110, 190),
        Role.HighlightedText: QColor(255, 255, 255),
    }
    for role, color in roles.items():
        palette.setColor(role, color)
    for role in (Role.Text, Role.ButtonText, Role.WindowText):
        palette.setColor(Group.Disabled, role, disabled)
    return readable_palette(palette)


def _fusion(app: QApplication) -> QStyle:
    from tracker.ui.indicators import outlined_fusion  # noqa: PLC0415 - it imports this module

    style = outlined_fusion()
    app.setStyle(style)
    return style


def apply_appearance(app: QApplication, appearance: str) -> None:
    """Switch the whole app's look: the platform's own (``system``), light or dark Fusion;
    text that would be hard to read in the platform's palette is made readable.

    It costs Qt's style and palette types (~40 ms the first time): the app applies it once
    the tray icon is on screen or a window opens, whichever comes first.
    """
    global _system_look
    if _system_look is None:
        _system_look = (app.style().name(), QPalette(app.palette()))
    if appearance == "system":
        name, palette = _system_look
        if name.lower() == "fusion":
            _fusion(app)
        elif app.style().name() != name:
            app.setStyle(name)
        fixed = readable_palette(palette)
        if fixed != app.palette() or fixed.resolveMask() != app.palette().resolveMask():
            app.setPalette(fixed)
        _hub().changed.emit()
        return
    fusion = _fusion(app)
    if appearance == "dark":
        app.setPalette(dark_palette())
    else:
        app.setPalette(readable_palette(fusion.standardPalette()))
    _hub().changed.emit()


def tone(widget: QWidget, light: str, dark: str) -> QColor:
    """``light`` on a light palette, ``dark`` on a dark one, readable on the window."""
    background = widget.palette().color(Role.Window)
    chosen = QColor(dark if background.lightness() < 128 else light)
    return readable(chosen, background)


def tone_colour(palette: QPalette, kind: Tone, background: QColor | None = None) -> QColor:
    """The colour of ``kind`` text on ``background`` (the palette's window by default):
    ``muted`` is the text colour halfway to the background, as far as 4.5:1 allows."""
    back = background if background is not None else palette.color(Role.Window)
    text = palette.color(Role.WindowText)
    if kind == "text":
        colour = text
    elif kind == "muted":
        colour = mix(text, back, 0.45)
    else:
        light, dark = _TONES[kind]
        colour = QColor(dark if back.lightness() < 128 else light)
    # Styles draw tab pages a shade off the window: the colour must read on those too.
    grounds = [back] if background is not None else [back, _pane(palette)]
    for _ in range(2):
        for ground in grounds:
            colour = readable(colour, ground, TONE_CONTRAST)
    return colour


def _pane(palette: QPalette) -> QColor:
    """The colour Fusion fills a tab page with: the button colour, lightened the more the
    darker it is (see Qt's ``QFusionStylePrivate::tabFrameColor``)."""
    button = palette.color(Role.Button)
    return button.lighter(100 + max(1, (180 - qGray(button.rgb())) // 6)).lighter(104)


class _Looks(QObject):
    """Says when :func:`apply_appearance` changed the look (Qt tells only the windows at
    once; the widgets inside hear it from their window later, on the event loop)."""

    changed = Signal()


_looks: _Looks | None = None


def _hub() -> _Looks:
    global _looks
    if _looks is None:
        _looks = _Looks()
    return _looks


class _Follower(QObject):
    """Holds a widget's painting function; a child of the widget, so it goes with it (and
    its connection with it)."""

    def __init__(self, widget: QWidget, paint: Callable[[], None]) -> None:
        super().__init__(widget)
        self._paint = paint

    def repaint(self) -> None:
        self._paint()


def follow_palette(widget: QWidget, paint: Callable[[], None]) -> None:
    """Run ``paint`` now and again whenever the look changes (light, dark, system), so
    colours derived from the palette never stay those of the previous theme."""
    paint()
    _hub().changed.connect(_Follower(widget, paint).repaint)


def plain_items(view: QWidget) -> None:
    """Let an item view draw with plain Fusion while the app uses the outlined one (and with
    the app's style otherwise), now and after every switch of the look: its cells have no
    check boxes to outline, and the outlining costs a Python call per primitive painted."""

    def follow() -> None:
        from tracker.ui.indicators import VisibleIndicators, plain_fusion  # noqa: PLC0415

        outlined = isinstance(QApplication.style(), VisibleIndicators)
        if outlined and view.style().parent() is not view:  # not yet its own plain one
            view.setStyle(plain_fusion(view))
        elif not outlined:
            # None: the app's own style, whatever it becomes (Qt accepts it; the stubs not)
            view.setStyle(None)  # type: ignore[arg-type]

    follow_palette(view, follow)


def set_tone(widget: QWidget, kind: Tone) -> None:
    """Draw ``widget``'s text in ``kind`` (quiet note, error, warning or plain text), now and
    after every theme switch; calling it again changes the tone."""
    first = widget.property("trackerTone") is None
    widget.setProperty("trackerTone", kind)

    def paint() -> None:
        current = str(widget.property("trackerTone"))
        palette = QPalette()  # the application's, with nothing of this widget's own set
        colour = tone_colour(QGuiApplication.palette(), current)  # type: ignore[arg-type]
        for group in (Group.Active, Group.Inactive, Group.Disabled):
            palette.setColor(group, widget.foregroundRole(), colour)
            palette.setColor(group, Role.Text, colour)
        widget.setPalette(palette)

    if first:
        follow_palette(widget, paint)
    else:
        paint()
