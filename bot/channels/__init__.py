"""One adapter per platform behind one interface (app env)."""
