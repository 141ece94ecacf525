"""One module per on-disk format. Each reader takes paths and returns a Graph, Interactions or table."""
