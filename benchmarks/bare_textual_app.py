"""The floor for startup time: a bare Textual app that shows one line, nothing else."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """One line of text."""

    def compose(self) -> ComposeResult:
        """The one line the benchmark waits for."""
        yield Static("bare textual app ready")


if __name__ == "__main__":
    BareApp().run()
