"""The built-in rules, one module per rule family, each loaded as a plugin through the ``lintnews`` entry points."""
