"""The commands behind make: publish, stages bounded in time and memory, new article, reference."""
