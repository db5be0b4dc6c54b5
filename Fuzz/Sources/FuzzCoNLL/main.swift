import FuzzSupport

runFuzzer(fuzzCoNLL)
