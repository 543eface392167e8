"""XML read as a stream with DTDs, entity declarations and external references refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from rejoinder.importers.errors import ImportFormatError


def iter_elements(
    path: str | Path, release_depths: frozenset[int] = frozenset({1})
) -> Iterator[tuple[str, int, Element]]:
    """Yield ``(event, depth, element)`` for "start" and "end" events; the root has depth 0.

    An element at one of ``release_depths`` is dropped from the tree once its "end" has been
    handled, so memory stays flat however long the file is.
    """
    stack: list[Element] = []
    try:
        for event, elem in iterparse(str(path), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                stack.append(elem)
                yield event, len(stack) - 1, elem
            else:
                depth = len(stack) - 1
                yield event, depth, elem
                stack.pop()
                if depth in release_depths and stack:
                    stack[-1].remove(elem)
    except DefusedXmlException as exc:
        raise ImportFormatError(
            f"refused {Path(path).name}: it declares a DTD, entities or external references "
            f"({type(exc).__name__}); exports never need them, so nothing was imported"
        ) from exc
    except ParseError as exc:
        raise ImportFormatError(f"{Path(path).name} is not well-formed XML: {exc}") from exc


def local_name(tag: str) -> tuple[str, str]:
    """Split ``{namespace}name`` into (namespace, name)."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def child_text(elem: Element, tag: str) -> str | None:
    child = elem.find(tag)
    if child is None:
        return None
    return child.text or ""
