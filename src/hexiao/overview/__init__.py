"""The bureau's overview page (`hexiao overview`): one self-contained HTML file per month."""

from hexiao.overview.write import DEFAULT_MONTHS, OVERVIEW_FILE, write_overview

__all__ = ["DEFAULT_MONTHS", "OVERVIEW_FILE", "write_overview"]
