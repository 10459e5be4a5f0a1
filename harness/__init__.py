"""The project's servers on free ports, for the tests and the benchmarks (neither imports the other)."""
