"""The JSON API: the error shape (``errors``), its middleware, and the root (``root``)."""
