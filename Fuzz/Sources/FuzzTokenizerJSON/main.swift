import FuzzSupport

runFuzzer(fuzzTokenizerJSON)
