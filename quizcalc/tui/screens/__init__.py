"""The app's full screens, one per file: home, review, drill set-up, drill, statistics, browse,
settings, and the startup error.

Nothing is imported here: each screen is imported where it is first shown, so the start-up
path loads only the screens it paints.
"""
