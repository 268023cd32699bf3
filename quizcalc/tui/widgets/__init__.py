"""Widgets shared by screens: the problem panel and its pieces, the trajectory plot.

Nothing is imported here: the plot's module imports plotext, which the start-up path avoids.
"""
