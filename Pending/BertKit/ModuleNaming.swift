import TensorCore

/// The child's named parameters with `name.` in front: how BertKit modules build the
/// Hugging Face key paths (`encoder.layer.3.attention.self.query.weight`) explicitly.
func prefixed(_ name: String, _ module: any Module) -> [(String, Parameter)] {
    module.namedParameters().map { ("\(name).\($0.0)", $0.1) }
}

/// Sets training mode on every child (dropout on/off).
func setTraining(_ training: Bool, _ modules: [any Module]) {
    for m in modules { if training { m.train() } else { m.eval() } }
}
