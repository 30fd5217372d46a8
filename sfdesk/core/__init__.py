"""Qt-free pure logic shared by the panels (design.md §1).

Nothing here imports Qt, touches the network or the disk: streaming Markdown (``markdown_stream``,
``markdown_render``), "view code" generation (``codegen``), and the arithmetic the panels need.
Modules are imported by name; this package re-exports nothing so importing one part stays cheap.
"""
