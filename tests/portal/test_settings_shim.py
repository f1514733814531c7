"""The settings moved to config.settings; portal.settings and portal.wsgi still start a
server for one release, saying so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]


def run(code: str, module: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": module, "PYTHONPATH": str(ROOT),
           "PORTAL_VAR_DIR": str(ROOT / "var")}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-W", "always::DeprecationWarning", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


class SettingsShimTests(SimpleTestCase):
    def test_the_old_settings_module_loads_the_new_one_and_warns(self) -> None:
        done = run(
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.ROOT_URLCONF, settings.INSTALLED_APPS[0])",
            "portal.settings",
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.split(), ["config.urls", "config.apps.PortalAdminConfig"])
        self.assertIn("portal.settings is deprecated", done.stderr)

    def test_the_old_wsgi_module_serves_the_same_application(self) -> None:
        done = run("from portal.wsgi import application; print(type(application).__name__)",
                   "config.settings")  # fmt: skip
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.strip(), "WSGIHandler")
        self.assertIn("portal.wsgi is deprecated", done.stderr)
