"""No jobs of its own: old codes and outbox rows leave through the privacy core's nightly
retention sweep (``candor.privacy.tasks``), which applies the one-day rules declared in
``personal_data.py`` here and in ``candor.integrations.sms``."""
