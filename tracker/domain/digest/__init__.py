"""The weekly digest as data: the rows it is built from, its sections and links; no Flask, no database."""
