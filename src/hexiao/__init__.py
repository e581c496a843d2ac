"""hexiao: monthly verification of social-assistance rolls (民政核对).

The library's public API is `hexiao.api`; the command line (`hexiao.cli`) is a thin layer over it.
"""

__version__ = "0.1.0"
