"""The user's shipping addresses."""
