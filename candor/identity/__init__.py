"""Real-name verification, face verification and guardian consent for minors."""
