"""The compare workbench, the Chat tab's second page: N models × M prompt variants side by side.

``panel`` puts it together; ``column`` is one column's set-up and answer; ``controller`` runs the
streams; ``presets`` is the dialog of saved prompt presets with versions. Built the first time
the page is shown.
"""
