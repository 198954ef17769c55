"""Qt key sequences (portable text, as Settings saves them) to each platform's key codes.

One place for every table, so the backends only ask "which keysym / virtual key / modifier
bits is this?" and a key Settings can record but a platform cannot grab is refused with a
reason before any OS call. Qt-free: ``tracker doctor`` and the unit tests read it too.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Chord",
    "KeyProblem",
    "mac_key",
    "parse",
    "windows_key",
    "x11_key",
]

MODIFIERS = {"ctrl": "ctrl", "control": "ctrl", "alt": "alt", "shift": "shift", "meta": "meta"}
"""Portable-text modifier names (any case) to ours. ``Meta`` is the Windows/Super key on
Windows and X11, and the Control key on macOS (where Qt's ``Ctrl`` is Command)."""


class KeyProblem(ValueError):
    """The sequence cannot be a global hotkey; the message says why, for a person."""


@dataclass(frozen=True)
class Chord:
    """One key with its modifiers, e.g. ``Ctrl+Alt+T``.

    Attributes:
        modifiers: a subset of ``ctrl``, ``alt``, ``shift``, ``meta``.
        key: Qt's portable name of the key (``T``, ``F5``, ``Space``, ``,``).
        text: the sequence as the person sees it.
    """

    modifiers: frozenset[str]
    key: str
    text: str


def parse(sequence: str) -> Chord:
    """Read one key combination in Qt's portable text (``Ctrl+Alt+T``, ``Meta+F5``, ``Ctrl++``).

    Raises:
        KeyProblem: empty, several chords (``Ctrl+K, Ctrl+C``), no modifier on a plain key,
            or a modifier on its own.
    """
    text = sequence.strip()
    if not text:
        raise KeyProblem("no key set")
    if ", " in text:
        raise KeyProblem(f"{text} is several key presses; a global hotkey is one combination")
    if text == "+":
        mods, key = [], "+"
    elif text.endswith("++"):  # the plus key itself, "Ctrl++"
        mods, key = text[:-2].split("+"), "+"
    else:
        *mods, key = text.split("+")
    modifiers: set[str] = set()
    for name in mods:
        mod = MODIFIERS.get(name.strip().lower())
        if mod is None:
            raise KeyProblem(f"{text}: {name!r} is not a modifier key")
        modifiers.add(mod)
    key = key.strip()
    if not key or key.lower() in MODIFIERS:
        raise KeyProblem(f"{text} has no key besides the modifiers")
    key = _canonical(key)
    if not modifiers and not (key.startswith("F") and key[1:].isdigit()):
        raise KeyProblem(f"{text} needs Ctrl, Alt, Shift or Meta: alone it would take the key away")
    return Chord(frozenset(modifiers), key, text)


_ALIASES = {"escape": "Esc", "delete": "Del", "insert": "Ins", "pgdn": "PgDown", "enter": "Enter"}


def _canonical(key: str) -> str:
    if len(key) == 1:
        return key.upper()
    lowered = key.lower()
    if lowered in _ALIASES:
        return _ALIASES[lowered]
    for name in _NAMED:
        if name.lower() == lowered:
            return name
    if lowered.startswith("f") and lowered[1:].isdigit():
        return f"F{int(lowered[1:])}"
    return key


_NAMED = (
    "Space",
    "Esc",
    "Tab",
    "Backspace",
    "Return",
    "Enter",
    "Ins",
    "Del",
    "Pause",
    "Print",
    "Home",
    "End",
    "Left",
    "Up",
    "Right",
    "Down",
    "PgUp",
    "PgDown",
)

# --- X11: keysym names (Xlib.XK.string_to_keysym) and modifier mask bits ----------------------

X11_MODIFIERS = {"shift": 1 << 0, "ctrl": 1 << 2, "alt": 1 << 3, "meta": 1 << 6}
"""ShiftMask, ControlMask, Mod1Mask (Alt), Mod4Mask (Super): the usual X keyboard mapping."""

X11_LOCK_MASK = 1 << 1
"""LockMask: Caps Lock. Num Lock's modifier is looked up on the server (usually Mod2)."""

_X11_NAMED = {
    "Space": "space",
    "Esc": "Escape",
    "Tab": "Tab",
    "Backspace": "BackSpace",
    "Return": "Return",
    "Enter": "KP_Enter",
    "Ins": "Insert",
    "Del": "Delete",
    "Pause": "Pause",
    "Print": "Print",
    "Home": "Home",
    "End": "End",
    "Left": "Left",
    "Up": "Up",
    "Right": "Right",
    "Down": "Down",
    "PgUp": "Prior",
    "PgDown": "Next",
}
_X11_PUNCTUATION = {
    ",": "comma",
    ".": "period",
    "/": "slash",
    ";": "semicolon",
    "'": "apostrophe",
    "[": "bracketleft",
    "]": "bracketright",
    "\\": "backslash",
    "-": "minus",
    "=": "equal",
    "`": "grave",
    "+": "plus",
    "!": "exclam",
    "@": "at",
    "#": "numbersign",
    "$": "dollar",
    "%": "percent",
    "^": "asciicircum",
    "&": "ampersand",
    "*": "asterisk",
    "(": "parenleft",
    ")": "parenright",
}


def x11_key(chord: Chord) -> tuple[str, int]:
    """The keysym name and the modifier mask of ``chord`` on X11."""
    key = chord.key
    if key in _X11_NAMED:
        name = _X11_NAMED[key]
    elif key in _X11_PUNCTUATION:
        name = _X11_PUNCTUATION[key]
    elif len(key) == 1 and key.isalnum() and key.isascii():
        name = key.lower()
    elif key.startswith("F") and key[1:].isdigit() and 1 <= int(key[1:]) <= 35:
        name = key
    else:
        raise KeyProblem(f"{chord.text}: the key {key!r} cannot be a global hotkey here")
    mask = 0
    for mod in chord.modifiers:
        mask |= X11_MODIFIERS[mod]
    return name, mask


# --- Windows: virtual-key codes and RegisterHotKey modifiers -----------------------------------

WIN_MODIFIERS = {"alt": 0x0001, "ctrl": 0x0002, "shift": 0x0004, "meta": 0x0008}
"""MOD_ALT, MOD_CONTROL, MOD_SHIFT, MOD_WIN."""

WIN_NOREPEAT = 0x4000
"""MOD_NOREPEAT: holding the keys down fires once, not once per auto-repeat."""

_WIN_NAMED = {
    "Space": 0x20,
    "Esc": 0x1B,
    "Tab": 0x09,
    "Backspace": 0x08,
    "Return": 0x0D,
    "Enter": 0x0D,
    "Ins": 0x2D,
    "Del": 0x2E,
    "Pause": 0x13,
    "Print": 0x2C,
    "Home": 0x24,
    "End": 0x23,
    "Left": 0x25,
    "Up": 0x26,
    "Right": 0x27,
    "Down": 0x28,
    "PgUp": 0x21,
    "PgDown": 0x22,
    ";": 0xBA,
    "=": 0xBB,
    "+": 0xBB,
    ",": 0xBC,
    "-": 0xBD,
    ".": 0xBE,
    "/": 0xBF,
    "`": 0xC0,
    "[": 0xDB,
    "\\": 0xDC,
    "]": 0xDD,
    "'": 0xDE,
}


def windows_key(chord: Chord) -> tuple[int, int]:
    """The virtual-key code and the ``RegisterHotKey`` modifiers (with MOD_NOREPEAT)."""
    key = chord.key
    if key in _WIN_NAMED:
        vk = _WIN_NAMED[key]
    elif len(key) == 1 and key.isalnum() and key.isascii():
        vk = ord(key.upper())
    elif key.startswith("F") and key[1:].isdigit() and 1 <= int(key[1:]) <= 24:
        vk = 0x70 + int(key[1:]) - 1
    else:
        raise KeyProblem(f"{chord.text}: the key {key!r} cannot be a global hotkey on Windows")
    mods = WIN_NOREPEAT
    for mod in chord.modifiers:
        mods |= WIN_MODIFIERS[mod]
    return vk, mods


# --- macOS: Carbon virtual key codes and modifiers --------------------------------------------

MAC_MODIFIERS = {"ctrl": 0x0100, "shift": 0x0200, "alt": 0x0800, "meta": 0x1000}
"""cmdKey, shiftKey, optionKey, controlKey: Qt's ``Ctrl`` is Command on macOS, ``Meta`` is
Control."""

_MAC_CODES = {
    "A": 0x00, "S": 0x01, "D": 0x02, "F": 0x03, "H": 0x04, "G": 0x05, "Z": 0x06, "X": 0x07,
    "C": 0x08, "V": 0x09, "B": 0x0B, "Q": 0x0C, "W": 0x0D, "E": 0x0E, "R": 0x0F, "Y": 0x10,
    "T": 0x11, "1": 0x12, "2": 0x13, "3": 0x14, "4": 0x15, "6": 0x16, "5": 0x17, "=": 0x18,
    "+": 0x18, "9": 0x19, "7": 0x1A, "-": 0x1B, "8": 0x1C, "0": 0x1D, "]": 0x1E, "O": 0x1F,
    "U": 0x20, "[": 0x21, "I": 0x22, "P": 0x23, "Return": 0x24, "L": 0x25, "J": 0x26,
    "'": 0x27, "K": 0x28, ";": 0x29, "\\": 0x2A, ",": 0x2B, "/": 0x2C, "N": 0x2D, "M": 0x2E,
    ".": 0x2F, "Tab": 0x30, "Space": 0x31, "`": 0x32, "Backspace": 0x33, "Esc": 0x35,
    "Enter": 0x4C, "Ins": 0x72, "Home": 0x73, "PgUp": 0x74, "Del": 0x75, "End": 0x77,
    "PgDown": 0x79, "Left": 0x7B, "Right": 0x7C, "Down": 0x7D, "Up": 0x7E,
    "F1": 0x7A, "F2": 0x78, "F3": 0x63, "F4": 0x76, "F5": 0x60, "F6": 0x61, "F7": 0x62,
    "F8": 0x64, "F9": 0x65, "F10": 0x6D, "F11": 0x67, "F12": 0x6F, "F13": 0x69, "F14": 0x6B,
    "F15": 0x71, "F16": 0x6A, "F17": 0x40, "F18": 0x4F, "F19": 0x50, "F20": 0x5A,
}  # fmt: skip


def mac_key(chord: Chord) -> tuple[int, int]:
    """The Carbon virtual key code and ``RegisterEventHotKey`` modifiers."""
    code = _MAC_CODES.get(chord.key)
    if code is None:
        raise KeyProblem(f"{chord.text}: the key {chord.key!r} cannot be a global hotkey on macOS")
    mods = 0
    for mod in chord.modifiers:
        mods |= MAC_MODIFIERS[mod]
    return code, mods
