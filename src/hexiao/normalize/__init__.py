"""Normalisation of ID numbers and names (contract.md §3)."""
