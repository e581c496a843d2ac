"""`python -m hexiao.bench`: see `hexiao.bench.run`."""

from hexiao.bench.run import main

raise SystemExit(main())
