from __future__ import annotations


class ImportFormatError(ValueError):
    """The file cannot be imported at all (unsafe, malformed or of the wrong kind).

    Raised before anything is committed: the import of that file is rolled back as a whole.
    """
