"""Developer tooling beside the hexiao package, never installed with it: the sample generator
(`hexiao_dev.sample`) and the benchmark (`hexiao_dev.bench`). Tests and `make bench` find it on
`PYTHONPATH` (pytest's `pythonpath`, the Makefile)."""
