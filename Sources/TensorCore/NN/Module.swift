/// A neural-network building block that owns ``Parameter``s and child modules.
///
/// A module declares its direct children once, each under its checkpoint key, in ``children``;
/// everything else walks that one declaration: parameter names (``namedParameters()``, the
/// Hugging Face keys), ``train()``/``eval()``, ``zeroGrad()``, initialisation, checkpoint
/// loading and the random streams a checkpoint saves (``namedRandomStreams()``).
///
/// ```swift
/// final class Block: Module {
///     let attention: Attention
///     let layers: [Linear]
///     let norm: LayerNorm?
///     let dropout: Dropout
///     init(…) { … }
///     var children: [ModuleChild] {
///         [.init("attention", attention),        // "attention.…"
///          .init("layers", layers),              // "layers.0.weight", "layers.0.bias", …
///          .init("norm", norm),                  // "norm.weight" when present
///          .init("dropout", dropout)]            // no parameters; follows train()/eval()
///     }
///     func callAsFunction(_ x: Tensor) -> Tensor { … }
/// }
/// block.namedParameters()   // [("attention.self.query.weight", p), …]
/// ```
///
/// A module that does not implement `children` gets them from its stored properties by
/// reflection (a `Parameter` or `Module` property under its name, arrays as `name.i`,
/// optionals unwrapped, a property declared as `` `self` `` named `self`): convenient for
/// small modules of your own; the library's modules declare theirs.
///
/// A parameter or module reached twice (tied weights, a back reference) is listed once, under
/// the first path found.
public protocol Module: AnyObject {
    /// The direct parameters and child modules, each under its key, in declaration order.
    var children: [ModuleChild] { get }
}

/// One entry of ``Module/children``: a parameter, a module or an array of modules (keyed
/// `key.0`, `key.1`, …) under a checkpoint key. A nil value declares an absent optional child.
/// An empty key makes the child's names this module's own (a transparent wrapper).
public struct ModuleChild {
    public enum Value {
        case parameter(Parameter)
        case module(any Module)
        case modules([any Module])
        case absent
    }

    public let key: String
    public let value: Value

    /// A parameter under `key` (nothing when nil).
    public init(_ key: String, _ parameter: Parameter?) {
        self.key = key
        value = parameter.map { .parameter($0) } ?? .absent
    }

    /// A child module under `key` (nothing when nil).
    public init(_ key: String, _ module: (any Module)?) {
        self.key = key
        value = module.map { .module($0) } ?? .absent
    }

    /// Child modules under `key.0`, `key.1`, …
    public init<M: Module>(_ key: String, _ modules: [M]) {
        self.key = key
        value = .modules(modules)
    }
}

/// A module whose forward depends on the training mode (dropout; a user's batch norm): it
/// stores the mode, and ``Module/train()`` / ``Module/eval()`` set it on every such module of a
/// tree. Other modules store nothing.
///
/// ```swift
/// final class Noise: TrainingModeModule {
///     var isTraining = true
///     var children: [ModuleChild] { [] }
///     func callAsFunction(_ x: Tensor) -> Tensor { isTraining ? x + 0.1 : x }
/// }
/// ```
public protocol TrainingModeModule: Module {
    /// True (the default) in training mode.
    var isTraining: Bool { get set }
}

extension Module {
    public var children: [ModuleChild] { ModuleReflection.children(of: self) }

    /// Every parameter with its dotted path (its checkpoint key), each once, in declaration order.
    public func namedParameters() -> [(String, Parameter)] {
        var result: [(String, Parameter)] = []
        var seen = Set<ObjectIdentifier>()
        walk { path, child in
            if case .parameter(let p) = child, seen.insert(ObjectIdentifier(p)).inserted { result.append((path, p)) }
        }
        return result
    }

    /// ``namedParameters()`` with `prefix.` in front of every name: for gathering the parameters
    /// of several modules under distinct names.
    ///
    /// ```swift
    /// let named = fc1.namedParameters(prefix: "fc1") + fc2.namedParameters(prefix: "fc2")
    /// let optimizer = AdamW([ParameterGroup(named, learningRate: 1e-3, weightDecay: 0.01)])
    /// // "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"
    /// ```
    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        namedParameters().map { (prefix.isEmpty ? $0.0 : prefix + "." + $0.0, $0.1) }
    }

    /// The distinct parameters (tied ones once), in ``namedParameters()`` order.
    public func parameters() -> [Parameter] { namedParameters().map(\.1) }

    /// This module and every module below it, each once, with its dotted path ("" for this
    /// one), depth first in declaration order.
    public func namedModules() -> [(String, any Module)] {
        var result: [(String, any Module)] = [("", self)]
        walk { path, child in
            if case .module(let m) = child { result.append((path, m)) }
        }
        return result
    }

    /// Every module below this one (each once), depth first in declaration order.
    public func descendants() -> [any Module] { namedModules().dropFirst().map(\.1) }

    /// True when every ``TrainingModeModule`` in this tree (this one included) is in training
    /// mode — also for a tree without any, whose forward does not depend on the mode.
    public var isTraining: Bool {
        namedModules().allSatisfy { ($0.1 as? any TrainingModeModule)?.isTraining ?? true }
    }

    /// Turns training mode on for every ``TrainingModeModule`` in this tree (dropout active).
    public func train() { setTrainingMode(true) }

    /// Turns training mode off (evaluation) for every ``TrainingModeModule`` in this tree.
    public func eval() { setTrainingMode(false) }

    /// Sets the training mode of every ``TrainingModeModule`` in this tree.
    public func setTrainingMode(_ training: Bool) {
        for (_, module) in namedModules() {
            if let m = module as? any TrainingModeModule { m.isTraining = training }
        }
    }

    /// Clears every parameter's accumulated gradient. Gradients accumulate across
    /// `backward()` calls until this is called.
    public func zeroGrad() {
        for p in parameters() { p.zeroGrad() }
    }

    /// The walk behind every method above: visits each parameter and module below this one
    /// (modules reached before are not entered again) with its dotted path.
    func walk(_ visit: (String, ModuleChild.Value) -> Void) {
        var entered: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        func join(_ prefix: String, _ key: String) -> String {
            prefix.isEmpty ? key : key.isEmpty ? prefix : prefix + "." + key
        }
        func enter(_ module: any Module, _ path: String) {
            for child in module.children {
                let childPath = join(path, child.key)
                switch child.value {
                case .parameter:
                    visit(childPath, child.value)
                case .module(let m):
                    guard entered.insert(ObjectIdentifier(m)).inserted else { continue }
                    visit(childPath, child.value)
                    enter(m, childPath)
                case .modules(let ms):
                    for (i, m) in ms.enumerated() where entered.insert(ObjectIdentifier(m)).inserted {
                        let elementPath = join(childPath, String(i))
                        visit(elementPath, .module(m))
                        enter(m, elementPath)
                    }
                case .absent:
                    continue
                }
            }
        }
        enter(self, "")
    }
}

/// The default ``Module/children``: stored properties found by reflection.
enum ModuleReflection {
    static func children(of module: any Module) -> [ModuleChild] {
        var result: [ModuleChild] = []
        var chain: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: module)
        while let m = mirror { chain.append(m); mirror = m.superclassMirror }
        for m in chain.reversed() {  // superclass properties first
            for (i, child) in m.children.enumerated() {
                collect(child.value, key: label(child.label, index: i), into: &result)
            }
        }
        return result
    }

    static func label(_ raw: String?, index: Int) -> String {
        guard var name = raw else { return String(index) }
        if name.hasPrefix("$__lazy_storage_$_") { name.removeFirst("$__lazy_storage_$_".count) }
        if name.hasPrefix("`") && name.hasSuffix("`") && name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        return name
    }

    static func collect(_ value: Any, key: String, into result: inout [ModuleChild]) {
        if let parameter = value as? Parameter { result.append(ModuleChild(key, parameter)); return }
        if let module = value as? any Module { result.append(ModuleChild(key, module)); return }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first { collect(wrapped.value, key: key, into: &result) }
        case .collection:
            for (i, element) in mirror.children.enumerated() { collect(element.value, key: "\(key).\(i)", into: &result) }
        default:
            break
        }
    }
}
