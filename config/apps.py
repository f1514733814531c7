from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The admin as the staff side; the site class is named, not imported, because it
    imports the apps' models, which exist only once this registry is loaded."""

    default_site = "config.admin_site.PortalAdminSite"
