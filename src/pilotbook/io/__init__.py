"""Reading the data: the catalog of datasets, strict readers, one deterministic CSV writer."""
