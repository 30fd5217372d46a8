"""Qt-free pure logic shared by the panels (design.md §1).

Nothing here imports Qt or touches the network, and only the two file helpers of the Embeddings
panel touch the disk (``text_sets.load_file`` reads an import, ``embedding_export.write_file``
writes an export): streaming Markdown (``markdown_stream``, ``markdown_render``), "view code"
generation (``codegen``), and the arithmetic the panels need (for the Embeddings panel:
``similarity``, ``text_sets``, ``embedding_export``; the first and last need numpy).
Modules are imported by name; this package re-exports nothing so importing one part stays cheap.
"""
