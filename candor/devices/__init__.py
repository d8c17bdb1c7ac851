"""Device and network data recorded at registration and login."""
