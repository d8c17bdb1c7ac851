"""Least-privilege staff groups and multi-factor authentication for the back office."""
