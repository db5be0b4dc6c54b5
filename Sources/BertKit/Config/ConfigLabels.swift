/// config.json's `num_labels` and `id2label` read with the same checks for every architecture
/// (``BertConfig``, ``DistilBertConfig``).
enum ConfigLabels {
    /// A stated `num_labels`, within the label-count limit.
    static func checkedCount(_ count: Int?) throws -> Int? {
        let limit = BertConfig.limit("num_labels")
        if let count, !(0...limit).contains(count) {
            throw BertError.invalidConfig("num_labels must be an integer in 0...\(limit), got \(count)")
        }
        return count
    }

    /// `id2label` with its JSON string keys as the integers 0..<count, each once.
    static func names(_ raw: [String: String]) throws -> [Int: String] {
        var map: [Int: String] = [:]
        for (k, v) in raw {
            guard let i = Int(k) else { throw BertError.invalidConfig("id2label key \"\(k)\" is not an integer") }
            map[i] = v
        }
        guard Set(map.keys) == Set(0..<map.count) else {
            throw BertError.invalidConfig("id2label keys must be 0..<\(map.count)")
        }
        return map
    }
}
