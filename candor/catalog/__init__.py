"""Merchants, the category tree, products with SKUs, stock, prices in fen, and browsing history."""
