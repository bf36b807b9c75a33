"""The Python source layer shared by the Pulumi and CDK plugins (libcst, never executes code).

* :mod:`analyzer.python.source`: parse a file (``parse_python``) into a ``SourceModule`` with cheap
  node -> line lookups; bad input becomes a ``ParseProblem``.
* :mod:`analyzer.python.project`: ``PythonProject``: module files, symbol tables, import resolution
  (``resolve``, ``resolve_expr``, ``resolve_in_module``) and start-up ``import_problems``.
* :mod:`analyzer.python.signatures`: ``class_signature`` / ``function_signature`` and ``bind``.
* :mod:`analyzer.python.values`: evaluator objects (``Obj`` and friends), ``to_value``, origins by
  name (``name_origin``).
* :mod:`analyzer.python.evaluator`: ``Evaluator`` (abstract interpretation of modules) with
  platform ``Hooks``; :mod:`analyzer.python.builtins`: str/list/dict methods, formatting,
  comparisons and paths on known values.
* :mod:`analyzer.python.attributes`: which attributes a class can have (judges ``args.foo`` reads).

See docs/python-layer.md.
"""
