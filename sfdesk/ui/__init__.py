"""The Qt user interface of sfdesk: the only package that imports PySide6 (with ``sfdesk/app.py``).

Layout: ``main_window`` (the shell: tabs, menus, status bar), ``status_bar`` and ``balance``
(provider, balance, key storage), ``tasks`` (controllers binding asyncio tasks to Qt signals),
dialogs (``key_dialog``, ``settings_dialog``), and shared pieces (``context``, ``errors``, ``i18n``,
``theme``, ``resources``). Each panel arrives later as its own sub-package with a view and a
controller; until then ``placeholders`` fills the tabs. ``gc_guard`` keeps Python's cyclic
garbage collector on the GUI thread (see the module).

Every widget re-translates itself on ``QEvent.LanguageChange`` through a ``_retranslate()`` method,
so a language switch applies live.
"""

from __future__ import annotations
