"""No jobs of its own: a member's cart lives as long as the account (erasure deletes it), and
a guest's cart ends with the session."""
