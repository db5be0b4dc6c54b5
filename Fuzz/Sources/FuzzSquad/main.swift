import FuzzSupport

runFuzzer(fuzzSquad)
