"""The scoring service: fetch a page, find its headline and body, score and explain."""
