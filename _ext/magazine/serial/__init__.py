"""The serial: issues and volumes, pages, an article's placement and date, notices."""
