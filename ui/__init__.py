"""The PySide6 window: widgets, item models and dialogs. Calls boundary_journal services only."""
