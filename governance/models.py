"""Tables of the governance app (model and config versions arrive with the registry issue)."""
