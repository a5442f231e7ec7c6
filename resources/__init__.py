"""Data shipped with Boundary Journal: the catalogue, fonts and icons (installed as boundary_journal.resources)."""
