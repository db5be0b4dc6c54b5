/// Namespace for the Tokenization module.
public enum Tokenization {}
