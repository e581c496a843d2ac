"""What a shared folder collects beside the month's files: not data, and never to stop a run.

Windows Explorer's thumbnail cache and folder settings, macOS Finder's folder file, the owner file
Excel keeps while a workbook is open, and an empty file somebody created and never filled. Fixed
bytes, so the generator stays reproducible.
"""

from __future__ import annotations

from pathlib import Path

# An OLE compound file header (Thumbs.db is one), then a zeroed sector.
_THUMBS_DB = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + bytes.fromhex("3e000300feff0900") + bytes(488)
_DESKTOP_INI = "[.ShellClassInfo]\r\nLocalizedResourceName=@%SystemRoot%\\system32\\shell32.dll,-21770\r\n"
_DS_STORE = bytes.fromhex("00000001") + b"Bud1" + bytes(24)
# Excel's owner file: the user's name, length-prefixed, padded to 165 bytes.
_OWNER = b"\x0dAdministrator" + bytes(165 - 14)

LITTER = (
    ("Thumbs.db", _THUMBS_DB),
    ("desktop.ini", _DESKTOP_INI.encode("ascii")),
    (".DS_Store", _DS_STORE),
    ("~$农村低保花名册.xlsx", _OWNER),
    ("新建文本文档.txt", b""),
)


def write_litter(out_dir: Path) -> list[Path]:
    """The litter files, written into out_dir (the inbox)."""
    paths = []
    for name, data in LITTER:
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths
