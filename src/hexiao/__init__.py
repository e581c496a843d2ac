"""hexiao: monthly verification of social-assistance rolls (民政核对)."""

__version__ = "0.1.0"
