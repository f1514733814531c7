from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Site")

    def ready(self) -> None:
        # What every public page shows besides notices (names of organisations and
        # catalog nodes, the site profile): an edit in the admin refreshes cached pages.
        from django.db.models.signals import post_delete, post_save

        from catalog.models import CatalogNode, Organization
        from disclosure.models import Notice

        from .models import SiteProfile

        for model in (CatalogNode, Organization, SiteProfile):
            for signal in (post_save, post_delete):
                signal.connect(_bump, sender=model, dispatch_uid=f"pagecache-{model.__name__}")
        # The workflow bumps on publish, revise and withdraw; this also catches a public
        # notice saved any other way (a data fix in the shell), never a draft's edits.
        post_save.connect(_bump_if_public, sender=Notice, dispatch_uid="pagecache-Notice")


def _bump(**kwargs) -> None:
    from .pagecache import bump_on_commit

    bump_on_commit()


def _bump_if_public(instance, **kwargs) -> None:
    if instance.status in ("published", "withdrawn"):
        _bump()
