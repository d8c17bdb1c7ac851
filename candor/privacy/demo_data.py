"""The demo's first policy version: every demo user is asked to accept it at first use."""

from __future__ import annotations

from typing import TextIO

from django.utils import timezone

from candor.privacy import policy


def load(stdout: TextIO) -> None:
    if policy.current() is not None:
        return
    version = policy.publish(
        number="1.0",
        effective_at=timezone.now(),
        significant=True,
        summary_zh="首次发布：本政策及个人信息收集清单、第三方信息共享清单均由代码中的声明生成。",
        summary_en="First publication: the policy and both lists are generated from the code's declarations.",
    )
    stdout.write(f"Published privacy policy version {version.number}.\n")
