"""The three Partner Portal services."""
