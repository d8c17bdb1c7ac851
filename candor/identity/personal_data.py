"""What the identity app holds, why, who receives it, and for how long.

Real-name data and face checks are additional functions (C001-02, C004-03: basic shopping
never needs them) resting on separate consent for sensitive data (PIPL art. 29); the face
comparison's purpose is the taxonomy's biometric one (``FACE_PURPOSE``). The identity
authority receives the name and ID number for a real-name check, and for a face check also the
photo, which Candor holds in memory for that one call only (C003-04: "the result is recorded
and used for nothing else"). A child's guardianship is children's data, sensitive (PIPL art.
28, 31): category MINOR, encrypted.
"""

from django.utils.translation import gettext_lazy as _

from candor.identity.models import FaceVerification, Guardianship, RealNameAttempt, RealNameVerification
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, Share, register
from candor.privacy.third_parties import ThirdParty, register_third_party

# Taxonomy has no purpose named for a one-off face comparison; its biometric purpose is face
# recognition, whose separate consent is what this check needs. One line to change if a
# narrower purpose is added.
FACE_PURPOSE = taxonomy.FACE_LOGIN

register(
    RealNameVerification,
    subject="user",
    fields={
        "name": Pi(taxonomy.IDENTITY, purposes=[taxonomy.REAL_NAME], encrypt=True, mask="name"),
        "id_number": Pi(taxonomy.IDENTITY, purposes=[taxonomy.REAL_NAME], encrypt=True, mask="id_number"),
        "status": Pi(
            taxonomy.IDENTITY,
            purposes=[taxonomy.REAL_NAME],
            sensitive=False,  # the verdict, not the document: pages and admin filter by it
            label=_("Real-name verification result"),
        ),
        "verified_at": Pi(
            taxonomy.IDENTITY, purposes=[taxonomy.REAL_NAME], sensitive=False, required=False,
            label=_("Real-name verification time"),
        ),
    },
    not_personal={
        "result_code": "the authority's code for the verdict (\"0\", \"-1\" …), the same for everyone",
        "authority_ref": "the authority's random request id, kept to trace a dispute with it",
        "checked_at": "when the last check ran; the verdict's time is declared as verified_at",
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
    recipients=[
        Share(
            taxonomy.IDENTITY_AUTHORITY,
            fields=("name", "id_number"),
            purpose=taxonomy.REAL_NAME,
            basis=taxonomy.CONSENT,
        )
    ],
)  # fmt: skip

register(
    RealNameAttempt,
    subject="user",
    fields={
        "outcome": Pi(
            taxonomy.ONLINE_ACTIVITY,
            purposes=[taxonomy.REAL_NAME, taxonomy.TRANSACTION_SECURITY],
            label=_("Real-name attempt"),
        ),
        "at": Pi(
            taxonomy.ONLINE_ACTIVITY,
            purposes=[taxonomy.REAL_NAME, taxonomy.TRANSACTION_SECURITY],
            label=_("Real-name attempt time"),
        ),
    },
    not_personal={"authority_ref": "the authority's random request id"},
    # The daily limit needs a day; a month lets a dispute about a charge be traced.
    retention=retention.after("at", days=30),
    on_erasure=OnErasure.DELETE,
)

register(
    FaceVerification,
    subject="user",
    fields={
        "passed": Pi(
            taxonomy.BIOMETRIC,
            purposes=[FACE_PURPOSE],
            # The outcome of a comparison, not biometric data: no image, template or feature.
            sensitive=False,
            label=_("Face verification result"),
        ),
        "similarity": Pi(
            taxonomy.BIOMETRIC, purposes=[FACE_PURPOSE], sensitive=False, required=False,
            label=_("Face similarity score"),
        ),
        "at": Pi(
            taxonomy.BIOMETRIC, purposes=[FACE_PURPOSE], sensitive=False, label=_("Face verification time")
        ),
    },
    not_personal={
        "result_code": "the authority's code for the verdict, the same for everyone",
        "authority_ref": "the authority's random request id",
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
    recipients=[
        Share(
            taxonomy.IDENTITY_AUTHORITY,
            fields=("verified_name", "verified_id_number", "image_base64"),
            purpose=FACE_PURPOSE,
            basis=taxonomy.CONSENT,
        )
    ],
)  # fmt: skip

register(
    Guardianship,
    subject="child",
    fields={
        "guardian_phone": Pi(
            taxonomy.MINOR, purposes=[taxonomy.GUARDIAN_CONSENT], encrypt=True, mask="phone",
            required=False,
        ),
        "relation": Pi(taxonomy.MINOR, purposes=[taxonomy.GUARDIAN_CONSENT], encrypt=True, required=False),
        # Step and status say only "under 14" or "14 to 17" and where the guardian step stands,
        # not the birthday; they stay in clear because the gate and the nightly sweep select by
        # them on every request.
        "kind": Pi(taxonomy.MINOR, purposes=[taxonomy.GUARDIAN_CONSENT], sensitive=False),
        "status": Pi(taxonomy.MINOR, purposes=[taxonomy.GUARDIAN_CONSENT], sensitive=False),
        "decided_at": Pi(
            taxonomy.MINOR, purposes=[taxonomy.GUARDIAN_CONSENT], sensitive=False, required=False,
            label=_("Guardian decision time"),
        ),
    },
    not_personal={"created_at": "when the guardian step was opened; the grace period counts from it"},
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)  # fmt: skip

register_third_party(
    ThirdParty(
        name=_("Tencent Cloud FaceID (identity verification)"),
        operator=_("Tencent Cloud Computing (Beijing) Co., Ltd."),
        function=_(
            "Checks a name against an ID number for real-name verification; compares a photo with "
            "the ID photo on record for face verification"
        ),
        data_items=[
            _("real name"),
            _("ID number"),
            _("face photo (face verification only; Candor keeps no copy)"),
        ],
        policy_url="https://privacy.tencent.com/",
        recipient=taxonomy.IDENTITY_AUTHORITY,
        method=_("server-to-server API call"),
    )
)
