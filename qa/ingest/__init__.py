"""Readers, cleaning and sentence splitting: from a file, page or feed to Articles."""
