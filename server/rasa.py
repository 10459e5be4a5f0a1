"""The project's ``rasa``: Rasa's command line with the speed-ups of ``server.speedups``.

    python -m server.rasa run --model models/hepb-assistant.tar.gz ...   (any `rasa` command)

scripts/run, scripts/cluster, scripts/test and the test servers (tests/servers.py) start Rasa
this way; ``rasa`` itself runs Rasa's own code. On a Rasa version the speed-ups were not
written for, they are left out with a warning and Rasa runs as it is.
"""

from __future__ import annotations

import sys

from rasa.__main__ import main

from server import speedups

if __name__ == "__main__":
    speedups.install()
    sys.argv[0] = "rasa"  # Rasa's usage and error messages name the command it knows
    main()
