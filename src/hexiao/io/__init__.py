"""Reading input files and writing reports; nothing here knows about rules."""
