"""No back-office page for carts: a cart is the member's own business, staff have no task
that needs it, and customer service sees orders, not carts."""
