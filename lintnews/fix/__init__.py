"""Fixing: rules attach edits to their violations, and ``lintnews check --fix`` applies them.

``edits`` builds, chooses and applies edits (rules import it for their helpers);
``source`` reads a file once and remembers its encoding; ``engine`` lints, applies the
edits that do not overlap and lints again until nothing is left to fix; ``validate``
checks that the fixed text parses as well as before; ``write`` replaces the file
atomically; ``diff`` prints what would change; ``session`` ties them to a run.
"""
