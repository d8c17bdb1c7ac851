"""The declared list of third parties and SDKs that process personal information for Candor.

C003-14 and C004-16 require every entrusted processor and embedded SDK to be listed with its
operator, function, the data it collects, how it collects it and a link to its own policy. An
integration registers its party here (from its ``personal_data.py``, which the data map
discovers), so the published third-party list is generated like the other lists and cannot
forget a party that the code talks to. A party with nothing registered is simply absent: the
list shows its empty state rather than a hand-written claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

from candor.privacy.taxonomy import Recipient

Text = Promise | str


@dataclass(frozen=True)
class ThirdParty:
    name: Text  # e.g. the SDK's product name
    operator: Text  # the company that runs it
    function: Text  # what Candor uses it for
    data_items: Sequence[Text]
    policy_url: str
    recipient: Recipient  # which kind of recipient of the sharing list it is
    method: Text = ""  # how it collects (SDK embedded in the app, server-to-server call …)

    def __post_init__(self) -> None:
        # Registrations pass any iterable of data items; a frozen entry keeps a tuple.
        object.__setattr__(self, "data_items", tuple(self.data_items))


_parties: list[ThirdParty] = []


def register_third_party(party: ThirdParty) -> ThirdParty:
    if party in _parties:
        raise ValueError(f"third party {party.name!s} is registered twice")
    _parties.append(party)
    return party


def unregister_third_party(party: ThirdParty) -> None:
    """For tests that plant a party and must leave the registry as they found it."""
    if party in _parties:
        _parties.remove(party)


def third_parties() -> list[ThirdParty]:
    return list(_parties)
