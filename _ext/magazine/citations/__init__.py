"""Citations: Works Cited, the cite domain, per-entry dependencies, the bib check in builds, the Cite box and downloads."""
