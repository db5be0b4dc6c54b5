import FuzzSupport

runFuzzer(fuzzInstanceLines)
