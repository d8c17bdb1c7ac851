"""The shopping cart: a guest's in the session, a member's in the database, merged at login."""
