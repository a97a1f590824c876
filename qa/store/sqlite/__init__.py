"""The SQLite engine of the store: one module per storage job, over one shared `Database`."""
