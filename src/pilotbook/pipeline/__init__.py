"""The build: plan, cache, execute (papermill), render (jupyter-book), publish."""
