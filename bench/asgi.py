"""ASGI twin of ``bench.wsgi`` (candor.asgi with the baseline route), for the uvicorn option."""

import os

from django.core.asgi import get_asgi_application

# Assigned rather than setdefault, for the same reason as in bench.wsgi.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
application = get_asgi_application()
