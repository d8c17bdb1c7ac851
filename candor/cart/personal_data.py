"""What the cart holds about a member (C004-05: cart additions are logged; the cart is viewed
and managed). A guest's cart is never stored here: it lives in the session, which expires."""

from candor.cart.models import CartItem
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register

register(
    CartItem,
    subject="user",
    fields={
        # What the member put into the cart and how many: the cart itself, and the log of
        # additions the seeds describe (the row is that log; there is no other).
        "sku": Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.ORDERING]),
        "quantity": Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.ORDERING]),
        "added_at": Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.ORDERING]),
        "updated_at": Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.ORDERING], required=False),
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)
