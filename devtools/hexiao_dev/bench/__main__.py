"""`python -m hexiao_dev.bench`: see `hexiao_dev.bench.run`."""

from hexiao_dev.bench.run import main

raise SystemExit(main())
