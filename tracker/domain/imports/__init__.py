"""Reading programme spreadsheets: pure parsing of files, cells and headers, with no Flask or database."""
