"""Argument types shared by the benchmarks."""

import argparse


def positive(text: str) -> int:
    """A positive integer; `1_000_000` and `1,000,000` read as one million."""
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"正の整数を指定してください：{text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"正の整数を指定してください：{text}")
    return value
