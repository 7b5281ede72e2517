"""Tables of the training app (training runs arrive with the training issue)."""
