import FuzzSupport

runFuzzer(fuzzMultipleChoice)
