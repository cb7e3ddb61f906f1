"""Small text helpers shared by several stages, each rule in one place: slugs (slugs.py), name
folding and comparison (names.py), month names and ISO dates (dates.py), number words and
measures (numbers.py). Pure functions on strings; nothing here imports another part of digest."""
