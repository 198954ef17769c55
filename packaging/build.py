"""Build the one-folder bundle of tracker for this OS, and optionally the Windows installer.

    .venv/bin/python packaging/build.py [--installer] [--dist DIR] [--work DIR]

Needs PyInstaller in the same environment (``pip install -c constraints.txt -e '.[package]'``);
installs nothing itself. It refuses to build from versions other than the ones
``constraints.txt`` pins (``--unpinned`` builds anyway, to try a new release). Steps: render
the icons from ``resources/tracker.svg``, run PyInstaller with
``packaging/tracker.spec`` into ``dist/tracker/``, add the Linux desktop files (a ``share/``
tree to copy under ``~/.local``), print the bundle's size, and with ``--installer`` compile
``installer.nsi`` with makensis into ``dist/tracker-<version>-setup.exe``.

Run it by path: ``packaging/`` is not a Python package (a package of that name would shadow
the PyPI ``packaging`` module).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import tomllib
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "packaging"
SPEC = HERE / "tracker.spec"
NSI = ROOT / "installer.nsi"
CONSTRAINTS = ROOT / "constraints.txt"
SVG = ROOT / "resources" / "tracker.svg"
APP_ID = "io.github.tracker.Tracker"

HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
# iconutil's names: icon_<n>x<n>[@2x].png for 16, 32, 128, 256 and 512 points.
ICONSET = {
    f"icon_{points}x{points}{suffix}.png": points * scale
    for points in (16, 32, 128, 256, 512)
    for suffix, scale in (("", 1), ("@2x", 2))
}


class BuildError(Exception):
    """A step failed; the message says which and what to do."""


def project_version() -> str:
    """``[project].version`` from pyproject.toml: the one place the version is written."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def numeric_version(version: str) -> str:
    """``x.y.z.w`` for the Windows version resource (digits only; ``0.2.0rc1`` gives 0.2.0.0)."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+", maxsplit=1)[0])[:3]]
    numbers += [0] * (4 - len(numbers))
    return ".".join(str(number) for number in numbers)


# --- icons -------------------------------------------------------------------------------------


def render_pngs(svg: Path, sizes: Sequence[int]) -> dict[int, bytes]:
    """PNG bytes of ``svg`` at each size, drawn by Qt's SVG renderer (no extra tools)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: PLC0415
    from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    app = QGuiApplication.instance() or QGuiApplication(["build", "-platform", "offscreen"])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise BuildError(f"{svg} is not a valid SVG")
    images: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; str works
        buffer.close()
        images[size] = bytes(data.data())
    del app
    return images


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG per size (the format since Windows Vista)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    directory, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + directory + blobs


def make_icons(out: Path) -> Path:
    """Render every icon the bundles need into ``out``; returns the hicolor tree.

    ``out/hicolor/<n>x<n>/apps/<id>.png`` and ``scalable/apps/<id>.svg`` (Linux),
    ``out/tracker.ico`` (the Windows program and installer icon), and on macOS
    ``out/tracker.icns`` made by ``iconutil`` from ``out/tracker.iconset``.
    """
    if out.exists():
        shutil.rmtree(out)
    hicolor = out / "hicolor"
    needed = set(HICOLOR_SIZES) | set(ICO_SIZES) | set(ICONSET.values())
    pngs = render_pngs(SVG, sorted(needed))
    for size in HICOLOR_SIZES:
        target = hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    scalable = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True)
    shutil.copyfile(SVG, scalable)
    (out / "tracker.ico").write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    iconset = out / "tracker.iconset"
    iconset.mkdir()
    for name, size in ICONSET.items():
        (iconset / name).write_bytes(pngs[size])
    if sys.platform == "darwin":
        run(["iconutil", "--convert", "icns", "--output", str(out / "tracker.icns"), str(iconset)])
    return hicolor


# --- the bundle --------------------------------------------------------------------------------


def run(command: Sequence[str], **kwargs: object) -> None:
    """Run a build tool, showing its command; a failure stops the build."""
    print("+", " ".join(command), flush=True)
    # Our own tool commands, never shell strings.
    done = subprocess.run(command, check=False, **kwargs)  # type: ignore[call-overload]  # noqa: S603
    if done.returncode != 0:
        raise BuildError(f"{Path(command[0]).name} failed with exit code {done.returncode}")


def check_pyinstaller() -> None:
    """PyInstaller must be in this environment; say how to get it otherwise."""
    if importlib.util.find_spec("PyInstaller") is None:
        raise BuildError(
            f"PyInstaller is not installed in {sys.prefix}: "
            f"{sys.executable} -m pip install -c constraints.txt -e '.[package]'"
        )


def pin_mismatches(constraints: Path = CONSTRAINTS) -> list[str]:
    """Installed packages at another version than ``constraints`` pins (the bundle ships
    what is installed, so these would make it differ from what CI tested)."""
    found: list[str] = []
    for raw in constraints.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, pinned = line.partition("==")
        try:
            installed = metadata.version(name.strip())
        except metadata.PackageNotFoundError:
            continue  # not used on this system
        if installed != pinned.strip():
            found.append(f"{name.strip()} {installed} (pinned {pinned.strip()})")
    return found


def check_pins() -> None:
    """Build only from the pinned versions; say how to install them otherwise."""
    if mismatches := pin_mismatches(CONSTRAINTS):
        raise BuildError(
            f"this environment differs from {CONSTRAINTS.name}: {', '.join(mismatches)}. "
            f"Install the pins: {sys.executable} -m pip install -c constraints.txt "
            "-e '.[package]' (or build anyway with --unpinned)"
        )


def pyinstaller(dist: Path, work: Path) -> Path:
    """Run PyInstaller with the spec; returns the bundle folder."""
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        cwd=ROOT,
    )
    return dist / "tracker"


def add_linux_files(bundle: Path, hicolor: Path) -> None:
    """``share/`` in the bundle: the .desktop file, AppStream metainfo and hicolor icons."""
    share = bundle / "share"
    if share.exists():
        shutil.rmtree(share)
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir()
    shutil.copyfile(
        HERE / "linux" / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop"
    )
    shutil.copyfile(
        HERE / "linux" / f"{APP_ID}.metainfo.xml",
        share / "metainfo" / f"{APP_ID}.metainfo.xml",
    )
    shutil.copytree(hicolor, share / "icons" / "hicolor")


def size_of(folder: Path) -> int:
    """Bytes on disk under ``folder`` (files only, symlinks not followed)."""
    return sum(
        path.lstat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def installer(bundle: Path, version: str, out: Path, icon: Path, *, fast: bool = False) -> Path:
    """Compile installer.nsi against ``bundle``; returns the installer's path.

    ``fast`` packs without compression: for checking the script, not for shipping.
    """
    makensis = shutil.which("makensis")
    if makensis is None:
        raise BuildError("makensis is not installed (Debian: apt-get install nsis; Windows: NSIS)")
    target = out / f"tracker-{version}-setup.exe"
    # makensis takes /D on Windows and -D everywhere else; -D works on both since NSIS 3.
    run(
        [
            makensis,
            "-V2",
            f"-DVERSION={version}",
            f"-DVERSION_NUMERIC={numeric_version(version)}",
            f"-DBUNDLE_DIR={bundle}",
            f"-DOUTFILE={target}",
            f"-DICON={icon}",
            *(["-DFAST"] if fast else []),
            str(NSI),
        ]
    )
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Build; returns the exit code (1 when a step failed, with the reason on stderr)."""
    parser = argparse.ArgumentParser(prog="packaging/build.py", description=__doc__.split("\n")[0])
    parser.add_argument("--installer", action="store_true", help="also compile installer.nsi")
    parser.add_argument(
        "--fast-installer",
        action="store_true",
        help="compile installer.nsi without compression (a check, not for shipping)",
    )
    parser.add_argument(
        "--unpinned",
        action="store_true",
        help="build even where installed versions differ from constraints.txt",
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (dist)")
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "build" / "pyinstaller",
        help="PyInstaller's work folder (build/pyinstaller)",
    )
    args = parser.parse_args(argv)
    dist: Path = args.dist.resolve()
    began = time.monotonic()
    try:
        check_pyinstaller()
        if not args.unpinned:
            check_pins()
        version = project_version()
        icons = ROOT / "build" / "packaging" / "icons"
        hicolor = make_icons(icons)
        bundle = pyinstaller(dist, args.work.resolve())
        if sys.platform.startswith("linux"):
            add_linux_files(bundle, hicolor)
        print(f"bundle: {bundle} ({size_of(bundle) / 2**20:.0f} MiB), version {version}")
        if args.installer or args.fast_installer:
            icon = icons / "tracker.ico"
            setup = installer(bundle, version, dist, icon, fast=args.fast_installer)
            print(f"installer: {setup} ({setup.stat().st_size / 2**20:.0f} MiB)")
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(f"built in {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_LOGGING_RULES", "qt.core.qobject.connect=false")
    sys.exit(main())
