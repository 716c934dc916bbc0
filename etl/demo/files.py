"""Writing export files: CSV in pieces (optional UTF-8 BOM, CRLF line ends, another separator), the way
Excel and one-stop systems save them."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl


class CsvOut:
    """A CSV written in pieces: header with the first frame, optional UTF-8 BOM and CRLF line ends."""

    def __init__(self, path: Path, bom: bool = False, crlf: bool = False, separator: str = ",") -> None:
        self.path = path
        self.handle = open(path, "wb")  # noqa: SIM115 (closed in close())
        if bom:
            self.handle.write(b"\xef\xbb\xbf")
        self.crlf = crlf
        self.separator = separator
        self.header_written = False
        self.rows = 0

    def write(self, frame: pl.DataFrame) -> None:
        if frame.width == 0:
            return
        buffer = io.BytesIO()
        frame.write_csv(
            buffer,
            include_header=not self.header_written,
            line_terminator="\r\n" if self.crlf else "\n",
            separator=self.separator,
        )
        self.handle.write(buffer.getvalue())
        self.header_written = True
        self.rows += frame.height

    def close(self) -> None:
        self.handle.close()
