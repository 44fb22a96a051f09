"""The ``adoption`` command line: a parser that loads a command's module when it runs."""

from adoption_lib.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
