"""Read one large JSON document a value at a time, without loading it whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from rejoinder.importers.errors import ImportFormatError

CHUNK = 1 << 16
MAX_VALUE = 32 << 20  # one thread or comment; anything larger is a broken file
_decoder = json.JSONDecoder()


class JsonStream:
    """A cursor over a JSON text: tokens of the outer structure, whole values inside it."""

    def __init__(self, source: TextIO, name: str = "document") -> None:
        self.source = source
        self.name = name
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.line = 1  # line of buf[counted]
        self.counted = 0

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.source.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        if self.pos > CHUNK:  # drop what has been consumed
            self.line += self.buf.count("\n", self.counted, self.pos)
            self.buf, self.counted, self.pos = self.buf[self.pos :], 0, 0
        self.buf += chunk
        return True

    def where(self) -> str:
        self.line += self.buf.count("\n", self.counted, self.pos)
        self.counted = self.pos
        return f"line {self.line}"

    def peek(self) -> str:
        """The next non-blank character ("" at the end), without consuming it."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf) or not self._fill():
                return self.buf[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            raise self.error(f"expected {char!r}, found {found or 'end of file'!r}")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos < MAX_VALUE and self._fill():
                    continue
                raise self.error(f"invalid JSON: {exc.msg}") from exc
            # A number or literal cut by the chunk boundary decodes short: read on to be sure.
            if end == len(self.buf) and self._fill():
                continue
            self.pos = end
            return value

    def array(self) -> Iterator[tuple[Any, str]]:
        """Each element of the array at the cursor with the line it starts on."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            self.peek()
            where = self.where()
            yield self.value(), where
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("]")
            return

    def error(self, message: str) -> ImportFormatError:
        return ImportFormatError(f"{self.name}, {self.where()}: {message}")
