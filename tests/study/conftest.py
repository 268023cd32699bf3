"""Fixtures for the study tests: the store of the export tests, with the content deck studied."""

from __future__ import annotations

from tests.exchange.conftest import studied

__all__ = ["studied"]
