"""Keep the process's resident memory flat while the encoder runs.

Each forward pass allocates activation buffers of tens of megabytes whose sizes change with the
batch. glibc raises its mmap threshold after such buffers are freed, so later ones come from the
heap and are never given back: a server that scored a few long comments kept ~200 MB it no
longer used. Fixing the threshold makes large buffers always mmapped, and freed back to the
system when released. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
ARENAS = 2  # one per core: threads (scoring, database drivers) share them instead of each
#             keeping its own heap of freed memory
LARGE_BUFFER = 4 * 1024 * 1024
_done = False


def return_large_buffers_to_the_system() -> bool:
    global _done
    if _done or not sys.platform.startswith("linux"):
        return _done
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        _done = bool(libc.mallopt(M_MMAP_THRESHOLD, LARGE_BUFFER))
        libc.mallopt(M_ARENA_MAX, ARENAS)
    except (OSError, AttributeError):
        _done = False
    return _done
