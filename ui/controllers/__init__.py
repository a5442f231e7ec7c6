"""The window's controllers: each owns one concern and is given only what it needs.

`JournalSession` is the open journal (or none while locked); the controllers read it at each use, so
none of them holds a journal across a lock. They tell each other about changes through `ui.changes`.
"""
