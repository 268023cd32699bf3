"""The Textual user interface: a thin layer that renders ``quizcalc.study`` and forwards to it.

Import :func:`quizcalc.tui.app.make_app` to build the app; nothing heavy is imported here.
"""
