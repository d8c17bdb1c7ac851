"""No back-office pages for favorites, follows or share links: they are the member's own, and
no staff task needs them (a share link's product is public anyway)."""
