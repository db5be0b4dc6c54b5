import Testing
import Tokenization

@Test func moduleLoads() { _ = Tokenization.self }
