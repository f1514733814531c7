"""CI step 4: an installed portal has every package and site file, and serves its home page.

Run by .ci/run with the installed venv's python, outside the checkout; SRC names a copy
of the source the venv was installed from."""

import os
import sys
from importlib.metadata import distribution
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.conf import settings  # noqa: E402  (after setup)
from django.test import Client  # noqa: E402

venv = Path(sys.prefix).resolve()
assert settings.BASE_DIR.is_relative_to(venv), f"not the installed portal: {settings.BASE_DIR}"
# Every package and data file of the source, where the installed settings look for it
# (the source's top-level packages but tests and bench; build/ is pip's, from this run).
src = Path(os.environ["SRC"])
tops = {p.parent.name for p in src.glob("*/__init__.py")} - {"tests", "bench"}
want = {
    init: settings.BASE_DIR / init.relative_to(src)
    for top in tops
    for init in src.glob(f"{top}/**/__init__.py")
}
for pattern in ("templates/**/*.*", "static/**/*.*", "locale/**/*.mo"):
    want |= {f: settings.SITE_FILES_DIR / f.relative_to(src) for f in src.glob(pattern)}
dist = distribution("township-disclosure-portal")
installed = {Path(dist.locate_file(f)).resolve() for f in dist.files}
missing = sorted(str(f.relative_to(src)) for f, there in want.items() if there not in installed)
assert not missing, f"the installed portal lacks (see setup.py): {missing}"
response = Client().get("/")
assert response.status_code == 200, response.status_code
assert "跳到正文" in response.content.decode(), "home page without base.html or its catalogue"
print(f"ci: installed portal: {len(want)} files in place, home page 200")
