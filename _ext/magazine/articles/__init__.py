"""The articles: front matter read and checked, the names contributors choose, licences."""
