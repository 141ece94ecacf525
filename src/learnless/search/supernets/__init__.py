"""Built-in super-networks (registered in learnless.search.protocol.SUPERNETS)."""
