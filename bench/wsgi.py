"""WSGI entry point for benchmark servers: Candor plus the ``/bench/hello`` baseline."""

import os

from django.core.wsgi import get_wsgi_application

# Assigned rather than setdefault: a shell exporting candor.settings would otherwise serve
# without the baseline route, and the run would fail its readiness check.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
application = get_wsgi_application()
