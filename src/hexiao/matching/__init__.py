"""Linking roll members to extract records: exact ID join first, then blocked fuzzy passes."""
