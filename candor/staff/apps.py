"""The staff app: least-privilege roles and a second factor for the back office (C002-16).

``ready`` does two things, neither of them business logic:

- It gates the admin behind a verified second factor by turning the project's ``admin.site``
  into a ``StaffAdminSite`` (``sites.py``). Every app has already registered its models on that
  one object, so it is kept and only its class changes: the subclass adds no state, only
  behaviour (``has_permission`` also asks ``request.user.is_verified()``, the login form asks for
  the 6-digit code). Django's documented alternative, ``AdminConfig.default_site``, would mean
  replacing the ``django.contrib.admin`` entry of INSTALLED_APPS; this keeps the gate inside the
  app that owns it. It refuses to swap a site that someone else already customised.
- It syncs the role groups after every ``migrate`` (``post_migrate``), so every database that is
  migrated — production, the demo, the test database — has the roles with exactly their
  permissions, with no separate step to forget. Permissions of all apps are created first,
  because Django creates them app by app in the same signal and some apps come after this one.
"""

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "candor.staff"
    label = "staff"
    verbose_name = _("Staff roles")

    def ready(self) -> None:
        from candor.staff.sites import install_admin_gate

        install_admin_gate()
        post_migrate.connect(_sync_roles_after_migrate, sender=self, dispatch_uid="candor.staff.roles")


def _sync_roles_after_migrate(
    sender: AppConfig, using: str = "default", apps: Any = global_apps, **kwargs: Any
) -> None:
    from django.contrib.auth.management import create_permissions

    from candor.staff.roles import sync_roles

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, interactive=False, using=using, apps=apps)
    sync_roles(using=using)
