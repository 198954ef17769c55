"""Icons: every SVG is found, renders at every size trays ask for, and stays cached."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from tracker.ui import icons
from tracker.ui.icons import STATE_NAMES, TRAY_KINDS, resource_path, state_icon, tray_icon


def _opaque_pixels(image: QImage) -> int:
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 0
    )


@pytest.mark.parametrize("kind", TRAY_KINDS)
@pytest.mark.parametrize("size", [16, 22, 24, 32, 48, 64])
@pytest.mark.parametrize("ratio", [1.0, 2.0])
def test_tray_icons_render_at_every_size(qtbot: QtBot, kind: str, size: int, ratio: float) -> None:
    pixmap = tray_icon(kind).pixmap(QSize(size, size), ratio)
    assert pixmap.width() == round(size * ratio)
    image = pixmap.toImage()
    # A disc fills most of the square; a broken render is empty or a speck.
    assert _opaque_pixels(image) > 0.6 * image.width() * image.height()
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert centre.alpha() == 255


def test_tray_icons_differ_by_colour(qtbot: QtBot) -> None:
    colours = set()
    for kind in TRAY_KINDS:
        image = tray_icon(kind).pixmap(QSize(32, 32)).toImage()
        colours.add(image.pixelColor(4, 16).name())
    assert len(colours) == len(TRAY_KINDS)


@pytest.mark.parametrize("name", STATE_NAMES)
def test_state_icons_render(qtbot: QtBot, name: str) -> None:
    image = state_icon(name).pixmap(QSize(16, 16)).toImage()
    assert _opaque_pixels(image) > 30


def test_icons_are_cached(qtbot: QtBot) -> None:
    assert tray_icon("running").cacheKey() == tray_icon("running").cacheKey()


def test_unknown_icon_is_refused(qtbot: QtBot) -> None:
    with pytest.raises(ValueError, match="unknown"):
        tray_icon("sparkly")


def test_resource_path_finds_the_checkout_folder() -> None:
    found = resource_path("icons", "tray-stopped.svg")
    assert found.is_file()
    assert found.parent.parent.name == "resources"


def test_resource_path_prefers_an_explicit_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "tray-stopped.svg").write_text("<svg/>")
    monkeypatch.setenv(icons.ENV_VAR, str(tmp_path))
    assert resource_path("icons", "tray-stopped.svg") == tmp_path / "icons" / "tray-stopped.svg"


def test_resource_path_finds_a_frozen_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "only-in-bundle.txt").write_text("x")
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert resource_path("only-in-bundle.txt") == tmp_path / "resources" / "only-in-bundle.txt"


def test_resource_path_says_what_is_missing() -> None:
    with pytest.raises(FileNotFoundError, match=r"no-such\.svg"):
        resource_path("no-such.svg")
