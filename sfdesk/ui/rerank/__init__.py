"""The Rerank comparison panel (tab page ``tab.rerank``).

Modules, one job each: ``page`` (the tab page; builds the panel when first opened), ``panel`` (the
controls and their wiring), ``controller`` (concurrent runs, the embedding baseline and its vector
cache, the run history, import and export tasks), ``models`` (the reranker list and which options
each reranker takes), ``params`` (the parameters and when each is shown), ``documents`` (the
documents editor, examples and import), ``results`` (one column per model, highlighting),
``agreement`` (Kendall tau and top-k overlap per pair), ``status``, ``export`` (what each export
writes) and ``code`` ("view code").

Only ``page`` is imported with the main window; the rest when the tab is first opened, and numpy
only when a baseline is computed, so the app starts without them (tests/test_startup_imports.py).
"""
