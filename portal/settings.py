"""Deprecated: the settings are `config.settings` since 0.2; this module is kept for one
release so that a server whose DJANGO_SETTINGS_MODULE still says `portal.settings` keeps
starting (with a warning). It goes in 0.3.

The project package is loaded by name, as Django loads DJANGO_SETTINGS_MODULE itself: an
import statement here would make `portal` (a floor every app stands on) import the project
package above it.
"""

import importlib
import warnings

warnings.warn(
    "DJANGO_SETTINGS_MODULE=portal.settings is deprecated: use config.settings.",
    DeprecationWarning,
    stacklevel=2,
)
globals().update(
    {k: v for k, v in vars(importlib.import_module("config.settings")).items() if k.isupper()}
)
