"""One importer per kind of file."""
