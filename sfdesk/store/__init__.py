"""Qt-free persistence for sfdesk: conversations and messages in SQLite (WAL), and their export.

The Chat panel's controller uses :class:`ConversationStore` from the GUI thread; every call is one
short transaction. ``db`` owns the file, pragmas, migrations and search index; ``models`` the
record types; ``conversations`` the repository; ``export`` Markdown/JSON export and file names.
``vector_cache`` (the Embeddings panel's cache of vectors, in its own file) needs numpy, so it is
imported by name and never re-exported here; so are ``embedding_runs`` and ``rerank_runs`` (the
run histories of the Embeddings and Rerank panels, each in its own file), which only their panel
uses, once it is first shown.
"""

from __future__ import annotations

from .conversations import TITLE_MAX_CHARS, ConversationStore, NotFoundError, title_from
from .db import DB_FILENAME, SchemaTooNewError, StoreError, default_path
from .export import MarkdownLabels, safe_filename, to_json, to_markdown
from .models import ROLES, STATUSES, Conversation, Message, Role, Status

__all__ = [
    "DB_FILENAME",
    "ROLES",
    "STATUSES",
    "TITLE_MAX_CHARS",
    "Conversation",
    "ConversationStore",
    "MarkdownLabels",
    "Message",
    "NotFoundError",
    "Role",
    "SchemaTooNewError",
    "Status",
    "StoreError",
    "default_path",
    "safe_filename",
    "title_from",
    "to_json",
    "to_markdown",
]
