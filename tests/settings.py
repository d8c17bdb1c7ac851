"""Test settings: Candor's own, plus a test-only app whose models exercise every option of a
personal-data declaration (the planted-data proof needs them)."""

from candor.settings import *  # noqa: F403
from candor.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.privacy_app"]
# Fast hashing keeps the suite quick; argon2 itself is exercised by the accounts tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The demo's stand-ins for SMS gateways, the identity authority and WeChat/QQ.
CANDOR_SIMULATORS = True

# The login lockout needs the request, which client.login() and force_login() do not pass;
# the lockout tests switch it on for themselves (candor/accounts/tests/test_login.py).
AXES_ENABLED = False
