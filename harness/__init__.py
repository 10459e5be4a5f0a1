"""What the tests and the benchmarks share (neither imports the other): the project's servers on free
ports, the cluster, a retrying REST client, the rule-test cases and the simulated patients who play them."""
