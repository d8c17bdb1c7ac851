"""The privacy core's own tables, one module per concern."""

from candor.privacy.models.audit import AuditEvent, AuditHead
from candor.privacy.models.consent import ConsentRecord
from candor.privacy.models.disclosure import DisclosureRecord
from candor.privacy.models.keys import DataKey
from candor.privacy.models.policy import PolicyVersion
from candor.privacy.models.rights import ErasureRecord

__all__ = [
    "AuditEvent",
    "AuditHead",
    "ConsentRecord",
    "DataKey",
    "DisclosureRecord",
    "ErasureRecord",
    "PolicyVersion",
]
