from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Notices and review")

    def ready(self) -> None:
        # The door imports the models, which exist only once the registry is ready.
        from django.db.models.signals import post_delete, post_save

        from portal.models import CalendarDay, CalendarYear
        from portal.public import watch_scheduled_changes

        from .models.posting import calendar_changed
        from .publication import next_posting_end, next_scheduled_publication

        watch_scheduled_changes(next_scheduled_publication)
        watch_scheduled_changes(next_posting_end)
        # A year's calendar entered or one of its days changed: 公示 ends counted again.
        for model in (CalendarYear, CalendarDay):
            for signal in (post_save, post_delete):
                signal.connect(
                    calendar_changed, sender=model, dispatch_uid=f"posting-{model.__name__}"
                )
