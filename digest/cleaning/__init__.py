"""The cleaning stage's parts; the entry points are in digest/clean.py (learn_templates, clean_article)."""
