"""Benchmark harness: a county-sized data generator and a wrk load runner (see README.md)."""
