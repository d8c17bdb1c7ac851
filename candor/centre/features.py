"""How each purpose that needs consent is switched in the privacy centre (C001-16).

Most are plain switches: on is ``consent.grant``, off is ``consent.withdraw``, both at once.
Three are not turned *on* here, because their consent belongs to a flow that first shows what
is collected: real-name verification and face login are turned on where they are used (and
can be switched off here like any other), and a guardian's consent for a child is given and
withdrawn by the guardian — the centre only shows its state.
"""

from __future__ import annotations

from dataclasses import dataclass

from candor.privacy import consent, taxonomy
from candor.privacy.taxonomy import Purpose

CHANNEL = consent.Channel.PRIVACY_CENTRE  # the consent ledger's channel for the centre's switches


@dataclass(frozen=True)
class Feature:
    purpose: Purpose
    can_turn_on: bool = True
    can_turn_off: bool = True
    elsewhere: str = ""  # URL name of the page where it is turned on (or managed)


_SPECIAL = {
    taxonomy.REAL_NAME.code: Feature(taxonomy.REAL_NAME, can_turn_on=False, elsewhere="identity:realname"),
    taxonomy.FACE_LOGIN.code: Feature(taxonomy.FACE_LOGIN, can_turn_on=False, elsewhere="identity:face"),
    taxonomy.GUARDIAN_CONSENT.code: Feature(
        taxonomy.GUARDIAN_CONSENT, can_turn_on=False, can_turn_off=False, elsewhere="identity:guardian"
    ),
}

FEATURES: dict[str, Feature] = {
    code: _SPECIAL.get(code, Feature(purpose))
    for code, purpose in taxonomy.PURPOSES.items()
    if purpose.needs_consent
}
