"""Deprecated: the WSGI application is `config.wsgi:application` since 0.2; kept for one
release so that a gunicorn command line that still says `portal.wsgi` keeps working. It
goes in 0.3. (Loaded by name for the reason given in portal/settings.py.)"""

import importlib
import os
import warnings

warnings.warn(
    "portal.wsgi is deprecated: run gunicorn with config.wsgi:application.",
    DeprecationWarning,
    stacklevel=2,
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = importlib.import_module("config.wsgi").application
