"""Reading and validating briefings and their geodata (no Qt, no matplotlib)."""
