"""Reports of contract.md §4: township lists, exit recommendations, summary, parquet."""
