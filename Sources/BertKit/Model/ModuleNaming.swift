import TensorCore

/// The child's named parameters with `name.` in front: how BertKit modules build the
/// Hugging Face key paths (`encoder.layer.3.attention.self.query.weight`) explicitly.
func prefixed(_ name: String, _ module: any Module) -> [(String, Parameter)] {
    module.namedParameters().map { ("\(name).\($0.0)", $0.1) }
}
