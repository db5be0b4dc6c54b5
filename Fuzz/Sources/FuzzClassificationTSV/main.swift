import FuzzSupport

runFuzzer(fuzzClassificationTSV)
