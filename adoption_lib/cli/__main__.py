"""``python -m adoption_lib.cli``: the ``adoption`` command line."""

import sys

from adoption_lib.cli.main import main

sys.exit(main())
