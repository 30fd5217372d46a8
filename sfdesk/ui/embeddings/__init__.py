"""The Embeddings similarity panel (tab page ``tab.embeddings``).

Modules, one job each: ``page`` (the tab page; builds the panel when first opened), ``panel`` (the
controls and their wiring), ``controller`` (runs, queries, comparisons, the vector cache, progress,
cancellation, import and export tasks), ``models`` (the embedding model list and what each model
takes), ``texts_editor``, ``status``, ``export`` (what each export writes), and the views
``heatmap``, ``pair``, ``ranking``, ``map_view`` and ``compare``; ``labels`` shortens texts.

Only ``page`` is imported with the main window; the panel's modules when the tab is first opened,
and everything that needs numpy or pyqtgraph when the panel is first shown or run, so the app
starts without them (tests/test_startup_imports.py).
"""
