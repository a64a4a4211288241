"""The spreadsheet import wizard: upload, choose columns, check, import."""

from tracker.web.imports.views import blueprint

__all__ = ["blueprint"]
