"""The Images tab: per-model parameters, reference images, generation, the gallery and grids.

``page`` is the light tab page the main window holds; the rest is imported when it is first shown:
``models`` (families and requests), ``params`` (the form), ``controller`` (tasks), ``gallery``,
``results`` (the latest images), ``grid`` (grid runs and their picture), ``viewer``, ``code``,
``status`` and ``panel``, which puts them together.
"""
