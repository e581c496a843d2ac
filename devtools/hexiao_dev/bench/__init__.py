"""Benchmarks: a vectorised, seeded generator of province-scale input data (`hexiao_dev.bench.datagen`)
and the runners that time hexiao on it."""
