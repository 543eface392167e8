"""Keeping the garbage collector's full passes short in a server process.

A full (generation 2) collection walks every tracked object, and after start-up that means the
framework, SQLAlchemy's caches and the classifiers: about 100 ms during which nothing else runs,
a few times a minute under load. Objects that exist once the server has started live as long as
the process, so they are moved out of the collector's view; later passes walk only what requests
created since.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    gc.collect()  # what start-up left as garbage is freed, not frozen
    gc.freeze()
