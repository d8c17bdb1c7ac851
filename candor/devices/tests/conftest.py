from __future__ import annotations

import pytest

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Every test here gets its own key cache (the root conftest's ``fresh_keys``)."""
