"""Module-level functions for executor tests (workers import them by name)."""

import os


def square(x):
    return x * x


def add_offset(x, shared):
    return x + shared["offset"]


def worker_pid(_):
    return os.getpid()


def fail_on_three(x):
    if x == 3:
        raise ValueError("three")
    return x
