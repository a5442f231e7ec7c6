"""Boundary Journal: a private journal and supervision aid for clinicians' grey-zone moments."""

__version__ = "0.1.0"
APP_NAME = "Boundary Journal"
