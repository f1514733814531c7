"""axe-core (WCAG 2.1 A/AA) on a Playwright page, shared by the browser tests.

The pattern of tests/browser/test_accessibility.py: the page's context is opened with
`bypass_csp=True` (the test injects axe; the site's own CSP stays strict)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require_axe() -> None:
    """Skip without axe-core locally; in CI its absence is a failure."""
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing: .ci/run installs it with npm")
        pytest.skip("axe-core is not installed (npm install)")


def violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations on the page as it is now: id, impact, first nodes."""
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        {"id": v["id"], "impact": v["impact"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]  # fmt: skip
