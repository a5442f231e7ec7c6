"""Use cases, one function per user action; plain Python, no Qt."""
