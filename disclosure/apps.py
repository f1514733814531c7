from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Notices and review")

    def ready(self) -> None:
        # The door imports the models, which exist only once the registry is ready.
        from portal.public import watch_scheduled_changes

        from .publication import next_scheduled_publication

        watch_scheduled_changes(next_scheduled_publication)
