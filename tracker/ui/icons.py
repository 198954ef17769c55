"""The app's icons, drawn from the SVGs in ``resources/`` and found wherever the app runs.

Each icon is rendered into pixmaps at the sizes trays ask for, at 1x and 2x device pixel
ratio, so a panel never scales a small bitmap up (blurry) or a large one down (muddy). The
files are looked up next to the source tree, in a PyInstaller bundle, or where the wheel put
them (``share/tracker/resources``), so the same code works from a checkout and installed.
"""

from __future__ import annotations

import functools
import os
import site
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, get_args

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

import tracker

__all__ = [
    "STATE_NAMES",
    "TRAY_KINDS",
    "StateName",
    "TrayKind",
    "render",
    "resource_path",
    "state_icon",
    "tray_icon",
]

TrayKind = Literal["stopped", "running", "pending", "attention"]
"""What the tray icon says: no timer, a timer runs, changes wait to be sent, act now."""
TRAY_KINDS: tuple[TrayKind, ...] = get_args(TrayKind)

StateName = Literal["synced", "pending", "attention", "local"]
"""A row's sync state, as a small icon."""
STATE_NAMES: tuple[StateName, ...] = get_args(StateName)

TRAY_SIZES = (16, 22, 24, 32, 48, 64)
STATE_SIZES = (12, 16, 22, 24, 32)
RATIOS = (1.0, 2.0)

ENV_VAR = "TRACKER_RESOURCES"
"""Points at a resources folder explicitly (packagers, tests)."""

_SHARE = Path("share") / "tracker" / "resources"

TRANSPARENT = QColor(0, 0, 0, 0)
"""``Qt.GlobalColor.transparent``: touching ``Qt``'s enums builds all of them (~25 ms), and
the tray icon is drawn before anything else needs them."""


def resource_path(*parts: str) -> Path:
    """The path of a file under ``resources/`` (e.g. ``resource_path("icons", "x.svg")``).

    Raises FileNotFoundError when no candidate folder holds it.
    """
    relative = Path(*parts)
    for root in _roots():
        candidate = root / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"resource {relative} not found (set {ENV_VAR} to the folder)")


def _roots() -> Iterator[Path]:
    """Where resources may be, most likely first; the wheel's RECORD is read last (only an
    unusual install needs it, and reading it is slow)."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        yield Path(explicit)
    bundle = getattr(sys, "_MEIPASS", None)
    if isinstance(bundle, str):
        yield Path(bundle) / "resources"
    yield Path(tracker.__file__).resolve().parents[1] / "resources"
    yield Path(sys.prefix) / _SHARE
    user_base = site.getuserbase()
    if user_base:
        yield Path(user_base) / _SHARE
    installed = _installed_root()
    if installed is not None:
        yield installed


@functools.cache
def _installed_root() -> Path | None:
    """Where pip put the data files, read from the wheel's RECORD (any install scheme)."""
    from importlib import metadata  # noqa: PLC0415 - a last resort; slow to import

    try:
        files = metadata.distribution("tracker").files or []
    except metadata.PackageNotFoundError:
        return None
    for item in files:
        if item.as_posix().endswith("share/tracker/resources/tracker.svg"):
            return Path(str(item.locate())).resolve().parent
    return None


def render(svg: Path, sizes: tuple[int, ...], ratios: tuple[float, ...] = RATIOS) -> QIcon:
    """An icon with one pixmap per size and device pixel ratio, drawn from ``svg``."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    icon = QIcon()
    for size in sizes:
        for ratio in ratios:
            side = round(size * ratio)
            pixmap = QPixmap(QSize(side, side))
            pixmap.fill(TRANSPARENT)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, side, side))
            painter.end()
            pixmap.setDevicePixelRatio(ratio)
            icon.addPixmap(pixmap)
    return icon


@functools.cache
def tray_icon(kind: TrayKind) -> QIcon:
    """The tray icon for ``kind`` (built once per process)."""
    if kind not in TRAY_KINDS:
        raise ValueError(f"unknown tray icon {kind!r}")
    return render(resource_path("icons", f"tray-{kind}.svg"), TRAY_SIZES)


@functools.cache
def state_icon(name: StateName) -> QIcon:
    """A small icon for a row's sync state: synced, pending, attention or local."""
    if name not in STATE_NAMES:
        raise ValueError(f"unknown state icon {name!r}")
    return render(resource_path("icons", f"state-{name}.svg"), STATE_SIZES)
