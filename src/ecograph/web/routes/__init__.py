"""The endpoint's routes, one module per concern: sparql, store, queries, system."""
