"""Built-in rules: one module per rule, named ``iacNNN_<name>.py``."""
