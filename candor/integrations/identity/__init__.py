"""Identity authority: adapter and simulator."""
