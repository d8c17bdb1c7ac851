"""The privacy core. It depends on no business app; every business app depends on it."""
