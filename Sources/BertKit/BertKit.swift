import TensorCore
import Tokenization

/// Namespace for the BertKit module.
public enum BertKit {}
