"""The web edition: page metadata, social image, links, feed, sitemap, listings."""
