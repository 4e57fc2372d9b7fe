"""The analysis: pure functions from data frames to data frames (no drawing, no files)."""
