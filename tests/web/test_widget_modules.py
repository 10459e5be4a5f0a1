"""The widget's pure JavaScript modules (web/test/, node's test runner): Markdown and colours."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_widget_modules_pass_their_node_tests():
    node = shutil.which("node")
    assert node, "node (Node.js 18 or later) is needed, as for `make web`"
    result = subprocess.run(
        [node, "--test", "web/test/"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 0" not in result.stdout
