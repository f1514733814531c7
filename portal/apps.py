from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Site")

    def ready(self) -> None:
        # Receivers import the models, which exist only once the registry is ready:
        # Django's own reason for connecting them here.
        from . import receivers  # noqa: F401
