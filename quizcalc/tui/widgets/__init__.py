"""Widgets shared by screens: the problem panel and its pieces (view, answer box, messages,
text), the trajectory plot, the home screen's number tiles.

Nothing is imported here: the plot's module imports plotext, which the start-up path avoids.
"""
