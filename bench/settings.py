"""Settings for benchmark servers: Candor's own, plus the hello-world baseline route."""

from candor.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
