"""Synthetic Disqus exports of any size, written straight to disk."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape

HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n'
        '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
        '<category dsq:id="1"><forum>bench</forum><title>General</title>'
        '<isDefault>true</isDefault></category>\n')
PHRASES = [
    "I <b>disagree</b> with the premise &amp; the conclusion.",
    "Дякую за статтю, але <i>переговори</i> тут ні до чого.",
    "Это не так &mdash; see <a href=\"https://example.org/src?id=1&amp;x=2\">the source</a>.",
    "<blockquote>quoted words</blockquote>Größe matters 🎉",
    "Plain reply with a list:<ul><li>one</li><li>two</li></ul>",
]
START = datetime(2020, 1, 1, tzinfo=UTC)


def write_synthetic_disqus(
    path: str | Path,
    n_comments: int,
    *,
    n_threads: int | None = None,
    reply_ratio: float = 0.6,
    out_of_order: float = 0.01,
    seed: int = 0,
) -> None:
    """Write ``n_comments`` posts spread over ``n_threads`` threads (default one per 100).

    A share ``out_of_order`` of replies is written before the parent they answer.
    """
    rng = random.Random(seed)
    n_threads = n_threads or max(1, n_comments // 100)
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        for t in range(1, n_threads + 1):
            out.write(
                f'<thread dsq:id="t{t}"><id>post-{t}</id><forum>bench</forum>'
                f'<category dsq:id="1"/><link>https://blog.example.org/{t}/essay-{t}/</link>'
                f"<title>Essay {t}</title><message/><createdAt>{_when(t)}</createdAt>"
                f"<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n")
        per_thread: dict[int, list[int]] = {}
        i = 1
        while i <= n_comments:
            thread = rng.randint(1, n_threads)
            earlier = per_thread.setdefault(thread, [])
            if i < n_comments and rng.random() < out_of_order:
                _post(out, rng, i + 1, thread, i)  # the reply first, then its parent
                _post(out, rng, i, thread, None)
                earlier += [i, i + 1]
                i += 2
                continue
            parent = rng.choice(earlier) if earlier and rng.random() < reply_ratio else None
            _post(out, rng, i, thread, parent)
            earlier.append(i)
            i += 1
        out.write("</disqus>\n")


def _when(n: int) -> str:
    return (START + timedelta(seconds=37 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _post(out: TextIO, rng: random.Random, pid: int, thread: int, parent: int | None) -> None:
    body = " ".join(rng.choice(PHRASES) for _ in range(rng.randint(1, 4)))
    parent_el = f'<parent dsq:id="{parent}"/>' if parent else ""
    spam = "true" if rng.random() < 0.02 else "false"
    out.write(
        f'<post dsq:id="{pid}"><id/><message><![CDATA[<p>{body}</p>]]></message>'
        f"<createdAt>{_when(pid)}</createdAt><isDeleted>false</isDeleted><isSpam>{spam}</isSpam>"
        f"<author><email>reader{pid % 997}@example.org</email>"
        f"<name>{escape(f'Reader {pid % 997}')}</name><isAnonymous>false</isAnonymous>"
        f"<username>reader{pid % 997}</username></author><ipAddress>10.0.{pid % 250}.1"
        f'</ipAddress><thread dsq:id="t{thread}"/>{parent_el}</post>\n')
