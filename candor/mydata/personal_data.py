"""What the "download my data" jobs keep about a person, and for how long.

Only when the person asked for a copy and when they last fetched it: the copy itself is an
encrypted file outside the database (see ``models.py``), removed when the link expires. A job
row stays a few days after its link expired, so that "I never got my file" can be traced, and
goes at once with the account (the file is then unreadable: it was encrypted under the profile
key that erasure destroys, and the next sweep removes it).
"""

from django.utils.translation import gettext_lazy as _

from candor.mydata.models import ExportJob
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register

_USE = [taxonomy.RIGHTS_REQUESTS]

register(
    ExportJob,
    subject="user",
    fields={
        "requested_at": Pi(taxonomy.ONLINE_ACTIVITY, purposes=_USE, label=_("Copy of my data requested at")),
        "downloaded_at": Pi(
            taxonomy.ONLINE_ACTIVITY, purposes=_USE, required=False, label=_("Copy of my data downloaded at")
        ),
    },
    not_personal={
        "status": "where the job stands",
        "progress": "how far the job is, in percent",
        "language": "the language the copy is labelled in",
        "token": "a random secret of the download link",
        "archive": "the random name of the encrypted file",
        "size": "the size of the file",
        "started_at": "when the worker started the job",
        "finished_at": "when the worker finished the job",
        "expires_at": "when the link stops working",
    },
    retention=retention.after("expires_at", days=7),
    on_erasure=OnErasure.DELETE,
    label=_("Copies of my data"),
)
