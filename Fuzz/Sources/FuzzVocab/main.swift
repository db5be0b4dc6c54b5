import FuzzSupport

runFuzzer(fuzzVocab)
