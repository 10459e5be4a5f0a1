"""Tests of the rule module `knowledge`.

The root pytest.ini uses --import-mode=importlib, which does not put test folders on sys.path;
this folder is added so that the shared case table `knowledge_cases` can be imported.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
