"""``python -m tests.benchmarks [--json] [--list] [NAME ...]``."""

import sys

from tests.benchmarks.runner import main

sys.exit(main())
