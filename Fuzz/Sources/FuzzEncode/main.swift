import FuzzSupport

runFuzzer(fuzzEncode)
