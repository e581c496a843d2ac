"""A GBK/GB18030 or UTF-16 text file → a UTF-8 copy on disk that Polars reads like any other.

CPython's GB18030 codec decodes about 100 MB/s, so a province register of a gigabyte takes ten
seconds on one core. A GB18030 file is therefore cut at line ends into one part per core and the
parts are decoded in parallel processes (a newline byte never occurs inside a GB18030 multi-byte
character, so a line end is a safe cut). Each part streams in blocks: memory holds a few blocks,
never the file. UTF-16 cannot be cut that way (0x0A occurs inside its code units) and runs whole.
"""

from __future__ import annotations

import codecs
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

BLOCK = 8 << 20
PARALLEL_FROM = 64 << 20  # smaller files are not worth starting processes for
MAX_PARTS = 8  # each process imports hexiao again (~0.7 s, ~75 MB)


class DecodeError(Exception):
    """The file is not in the encoding: `offset` is the byte where decoding failed."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def transcode(source: Path, encoding: str, target: Path) -> None:
    """Write `source`, decoded as `encoding`, to `target` as UTF-8; raise DecodeError."""
    size = source.stat().st_size
    workers = min(usable_cores(), MAX_PARTS)
    if encoding.lower().startswith("utf-16") or size < PARALLEL_FROM or workers < 2:
        _transcode_range(str(source), 0, size, encoding, str(target))
        return
    cuts = _line_cuts(source, size, workers)
    parts = [target.with_name(f"{target.name}.part{i}") for i in range(len(cuts) - 1)]
    try:
        errors = _in_processes(source, encoding, cuts, parts)
    except BrokenProcessPool:
        # A worker died (killed for memory) or could not start (a calling script without an
        # `if __name__ == "__main__"` guard): the same work in this process, only slower.
        for part in parts:
            part.unlink(missing_ok=True)
        _transcode_range(str(source), 0, size, encoding, str(target))
        return
    failed = [error for error in errors if error is not None]
    if failed:
        for part in parts:
            part.unlink(missing_ok=True)
        raise min(failed, key=lambda e: e.offset if isinstance(e, DecodeError) else -1)
    with target.open("wb") as out:
        for part in parts:
            with part.open("rb") as handle:
                shutil.copyfileobj(handle, out, BLOCK)
            part.unlink()


def usable_cores() -> int:
    """The CPUs this process may run on (its affinity, e.g. a container's cpuset), not the host's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _in_processes(source: Path, encoding: str, cuts: list[int], parts: list[Path]) -> list[BaseException | None]:
    context = multiprocessing.get_context("spawn")  # never fork a process running DuckDB/Polars threads
    with ProcessPoolExecutor(max_workers=len(parts), mp_context=context) as pool:
        futures = [
            pool.submit(_transcode_range, str(source), start, end, encoding, str(part))
            for start, end, part in zip(cuts, cuts[1:], parts, strict=False)
        ]
        errors = [future.exception() for future in futures]
    if any(isinstance(error, BrokenProcessPool) for error in errors):
        raise BrokenProcessPool("a transcoding process ended abnormally")
    return errors


def _line_cuts(source: Path, size: int, parts: int) -> list[int]:
    """Byte offsets that split the file into `parts` ranges, each ending just after a newline."""
    cuts = [0]
    with source.open("rb") as handle:
        for i in range(1, parts):
            handle.seek(max(size * i // parts, cuts[-1]))
            handle.readline()  # to the end of the line the guess fell into
            cuts.append(min(handle.tell(), size))
    cuts.append(size)
    return sorted(set(cuts))


def _transcode_range(source: str, start: int, end: int, encoding: str, target: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    position = start
    with open(source, "rb") as src, open(target, "wb") as out:
        src.seek(start)
        while position < end:
            block = src.read(min(BLOCK, end - position))
            if not block:
                break
            try:
                out.write(decoder.decode(block).encode("utf-8"))
            except UnicodeDecodeError as exc:
                # utf-8-sig reports positions after the BOM it has taken off the first block
                skipped = len(codecs.BOM_UTF8) if position == 0 and block.startswith(codecs.BOM_UTF8) else 0
                raise DecodeError(position + skipped + max(exc.start, 0)) from None
            position += len(block)
        try:
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError:
            raise DecodeError(position) from None
