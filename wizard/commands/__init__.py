"""One module per headless command; each returns an exit status."""
