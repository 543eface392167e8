"""Plain types and rules shared by every layer; nothing here does I/O."""
