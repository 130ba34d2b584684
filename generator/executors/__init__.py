"""Executors that render pages somewhere other than this machine's process pool."""
