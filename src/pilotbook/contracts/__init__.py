"""Checking the data: GX validation against data_contracts/, derived views, appendices, Data Docs."""
