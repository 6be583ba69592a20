"""Registration: DOIs, the Crossref deposit, XML checked against vendored schemas."""
