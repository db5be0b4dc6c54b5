import Testing
import BertKit

@Test func moduleLoads() { _ = BertKit.self }
