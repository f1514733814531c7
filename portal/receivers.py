"""What every public page shows besides notices (the names of organisations and catalog
nodes, the site profile): an edit of any of them in the admin bumps the public version.

Notices are not here: their writers call disclosure.publication.publication_changed.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from catalog.models import CatalogNode, Organization

from .models import SiteProfile
from .public import bump_on_commit


def _bump(**kwargs) -> None:
    bump_on_commit()


for model in (CatalogNode, Organization, SiteProfile):
    for signal in (post_save, post_delete):
        signal.connect(_bump, sender=model, dispatch_uid=f"public-version-{model.__name__}")
