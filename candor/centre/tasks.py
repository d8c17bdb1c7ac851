"""No jobs of its own: profile tags are re-derived when the member uses the mall (at most daily
when unchanged), deleted at once when personalization is switched off, and swept by the core's
retention job ``TAG_DAYS`` after their last derivation (see personal_data.py)."""
