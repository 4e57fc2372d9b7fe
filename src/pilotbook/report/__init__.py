"""Showing the analysis: formatting, labels, house style, figures, exhibits and one page module per notebook."""
