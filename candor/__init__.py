"""Candor: an online mall whose privacy policy is code."""

__version__ = "0.1.0"
