"""Turn read tables into typed, normalised rows and rejected rows with reasons."""
