"""The one thing pyproject.toml cannot say: ship the top-level ``content/`` decks inside the
package as ``quizcalc.decks``, so a wheel, an sdist, ``pipx install .`` and an editable
install all find the bundled decks while ``content/`` stays the folder people edit."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["quizcalc*"], exclude=["*.__pycache__"]),
        "quizcalc.decks",
    ],
    package_dir={"quizcalc.decks": "content"},
    package_data={
        "quizcalc": [
            "tui/*.tcss",
            "store/migrations/*.py",
            "store/migrations/versions/*.py",
            "store/alembic.ini",
            "py.typed",
        ],
        "quizcalc.decks": ["*.md"],
    },
)
