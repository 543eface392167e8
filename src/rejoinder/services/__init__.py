"""Use cases. Each takes its dependencies explicitly; none knows about HTTP."""
