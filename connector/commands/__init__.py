"""One module per CLI command; each exposes ``register(subparsers)``. Discovered by ``cli``."""
