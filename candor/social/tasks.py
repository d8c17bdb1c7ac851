"""No jobs of its own: favorites, follows and share links live as long as the account (the
member deletes them at will; erasure deletes them with the account)."""
