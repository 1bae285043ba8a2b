"""`make bench`: build a large made-up program, serve it as production would, and measure it."""
