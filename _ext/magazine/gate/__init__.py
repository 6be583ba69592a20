"""The gate: what content may make a build read or show, and make check."""
