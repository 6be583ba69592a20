"""``make preview``: a preview server that keeps the build warm (issue 17).

``builder.py`` is a long-lived, single-threaded process that has imported Sphinx, the theme
and the extensions once and holds the last environment in memory; each change is built in
a forked child that takes that environment instead of unpickling it, reports the pages
written, and only then pickles the environment. ``server.py`` serves ``_build/preview``
with sphinx-autobuild's watcher, reload websocket and script injector, in another process.
The reload script and the problems box exist only in served responses, never on disk.
"""
