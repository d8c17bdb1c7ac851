"""Favorites of products and services, follows of merchants and members, share links."""
