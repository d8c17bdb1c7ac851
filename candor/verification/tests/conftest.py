from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from candor.integrations.sms.models import OutboxMessage

PHONE = "13812348000"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Wrong-try counts and Aliyun nonces live in the cache; each test starts without them."""
    cache.clear()
    yield
    cache.clear()


def latest_code(phone: str = PHONE) -> str:
    """The code in the newest simulated SMS to ``phone`` (what a person reads on the handset)."""
    message = OutboxMessage.objects.filter(phone=phone).order_by("-id").first()
    assert message is not None, "no SMS reached the simulator"
    found = re.search(r"\d{6}", message.text)
    assert found is not None
    return found.group(0)
