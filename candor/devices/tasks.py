"""No jobs of its own: expired device events go with the nightly retention sweep of the privacy
core (``candor.privacy.tasks``), driven by this app's declaration (184 days)."""
