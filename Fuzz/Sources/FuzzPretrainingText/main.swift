import FuzzSupport

runFuzzer(fuzzPretrainingText)
