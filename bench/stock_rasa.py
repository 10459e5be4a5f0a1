"""`rasa` without components/speedups.py (Rasa's own code paths), for comparison only.

    python -m bench.stock_rasa run --model ... (same arguments as `rasa`)
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from components import speedups  # noqa: E402

speedups.install = lambda: None  # the custom components call it when the model loads

if __name__ == "__main__":
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
