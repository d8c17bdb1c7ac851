"""No jobs of its own: addresses live as long as the account, and erasure (the privacy core)
deletes them with it."""
