"""Tables of the memory app (learner memories in pgvector arrive with the memory issue)."""
