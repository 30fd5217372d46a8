"""Qt-free pure logic shared by the panels (design.md §1).

Nothing here imports Qt or touches the network, and only the file helpers touch the disk
(``text_sets.load_file`` and ``read_text``, and ``rerank_sets.load_documents`` on top of them,
read an import; ``embedding_export.write_file`` writes an export): streaming Markdown
(``markdown_stream``, ``markdown_render``), "view code" generation (``codegen``), and the
arithmetic the panels need (for the Embeddings panel: ``similarity``, ``text_sets``,
``embedding_export``, the first and last needing numpy; for the Rerank panel:
``rank_agreement``, ``rerank_sets``, ``rerank_export``, pure Python).
Modules are imported by name; this package re-exports nothing so importing one part stays cheap.
"""
