"""SYNTHETIC microdata generated from the published margins with fixed seeds."""
