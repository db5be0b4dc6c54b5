import Foundation

/// A neural-network building block that owns ``Parameter``s and child modules.
///
/// Conformers usually implement only their forward (`callAsFunction`) and get the rest by
/// reflection over stored properties: a `Parameter` property contributes its label, a child
/// `Module` contributes `label.` + its own names, arrays contribute `label.i.`, optionals are
/// unwrapped (nil contributes nothing) and a property declared as `` `self` `` is named
/// `self` — so property paths become Hugging Face checkpoint keys:
///
/// ```swift
/// final class Block: Module {
///     let attention: Attention          // "attention.…"
///     let layers: [Linear]              // "layers.0.weight", "layers.0.bias", …
///     let norm: LayerNorm?              // "norm.weight" when present
///     var isTraining = true
///     init(…) { … }
///     func callAsFunction(_ x: Tensor) -> Tensor { … }
/// }
/// block.namedParameters()   // [("attention.self.query.weight", p), …]
/// ```
///
/// Parameters reached twice (tied weights) are listed once, under the first name found.
/// Dictionaries are not traversed; override ``namedParameters()`` for custom layouts.
public protocol Module: AnyObject {
    /// Every parameter with its dotted path, in declaration order.
    func namedParameters() -> [(String, Parameter)]
    /// Training mode (dropout active). Store `var isTraining = true` in modules whose forward
    /// depends on it; others may use the default, which keeps the flag in a side table.
    var isTraining: Bool { get set }
    /// Turns training mode on for this module and every child module.
    func train()
    /// Turns training mode off (evaluation) for this module and every child module.
    func eval()
}

extension Module {
    public func namedParameters() -> [(String, Parameter)] {
        // Modules being traversed further up this call chain (a child holding a reference to
        // an ancestor must not loop).
        let active = ModuleReflection.activeModules
        let me = ObjectIdentifier(self)
        if active.contains(me) { return [] }
        return ModuleReflection.$activeModules.withValue(active.union([me])) {
            var result: [(String, Parameter)] = []
            var seenParameters = Set<ObjectIdentifier>()
            var visitedModules: Set<ObjectIdentifier> = [me]
            ModuleReflection.collect(self, prefix: "", into: &result, seenParameters: &seenParameters,
                                     visitedModules: &visitedModules)
            return result
        }
    }

    public var isTraining: Bool {
        get { TrainingModeTable.shared.mode(of: self) }
        set { TrainingModeTable.shared.setMode(newValue, of: self) }
    }

    public func train() { setTrainingRecursively(true) }
    public func eval() { setTrainingRecursively(false) }

    /// The distinct parameters (tied ones once), in `namedParameters()` order.
    public func parameters() -> [Parameter] { namedParameters().map(\.1) }

    /// Clears every parameter's accumulated gradient. Gradients accumulate across
    /// `backward()` calls until this is called.
    public func zeroGrad() {
        for p in parameters() { p.zeroGrad() }
    }

    /// Direct and indirect child modules (each once), depth first in declaration order.
    public func descendants() -> [any Module] {
        var result: [any Module] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        var stack: [any Module] = [self]
        while let module = stack.popLast() {
            var children: [any Module] = []
            ModuleReflection.childModules(of: module, into: &children)
            for child in children.reversed() where visited.insert(ObjectIdentifier(child)).inserted {
                stack.append(child)
            }
            if module !== self { result.append(module) }
        }
        return result
    }

    /// Sets `isTraining` on this module and all descendants.
    public func setTrainingRecursively(_ training: Bool) {
        let me = self as any Module
        me.isTraining = training
        for child in descendants() { child.isTraining = training }
    }
}

/// Mirror-based traversal behind the default ``Module`` implementations.
enum ModuleReflection {
    /// Modules whose default `namedParameters()` is running in the current task.
    @TaskLocal static var activeModules: Set<ObjectIdentifier> = []

    static func label(_ raw: String?, index: Int) -> String {
        guard var name = raw else { return String(index) }
        if name.hasPrefix("$__lazy_storage_$_") { name.removeFirst("$__lazy_storage_$_".count) }
        if name.hasPrefix("`") && name.hasSuffix("`") && name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        return name
    }

    static func mirrors(of subject: Any) -> [Mirror] {
        var chain: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: subject)
        while let m = mirror { chain.append(m); mirror = m.superclassMirror }
        return chain.reversed()  // superclass properties first
    }

    static func collect(_ value: Any, prefix: String, into result: inout [(String, Parameter)],
                        seenParameters: inout Set<ObjectIdentifier>, visitedModules: inout Set<ObjectIdentifier>) {
        for mirror in mirrors(of: value) {
            for (i, child) in mirror.children.enumerated() {
                visit(child.value, name: prefix + label(child.label, index: i), into: &result,
                      seenParameters: &seenParameters, visitedModules: &visitedModules)
            }
        }
    }

    static func visit(_ value: Any, name: String, into result: inout [(String, Parameter)],
                      seenParameters: inout Set<ObjectIdentifier>, visitedModules: inout Set<ObjectIdentifier>) {
        if let parameter = value as? Parameter {
            if seenParameters.insert(ObjectIdentifier(parameter)).inserted { result.append((name, parameter)) }
            return
        }
        if let module = value as? any Module {
            guard visitedModules.insert(ObjectIdentifier(module)).inserted else { return }
            for (childName, parameter) in module.namedParameters()
            where seenParameters.insert(ObjectIdentifier(parameter)).inserted {
                result.append((name + "." + childName, parameter))
            }
            return
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first {
                visit(wrapped.value, name: name, into: &result, seenParameters: &seenParameters, visitedModules: &visitedModules)
            }
        case .collection:
            for (i, element) in mirror.children.enumerated() {
                visit(element.value, name: "\(name).\(i)", into: &result, seenParameters: &seenParameters, visitedModules: &visitedModules)
            }
        default:
            break
        }
    }

    static func childModules(of module: any Module, into result: inout [any Module]) {
        for mirror in mirrors(of: module) {
            for child in mirror.children { findModules(child.value, into: &result) }
        }
    }

    static func findModules(_ value: Any, into result: inout [any Module]) {
        if value is Parameter { return }
        if let module = value as? any Module { result.append(module); return }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional, .collection:
            for child in mirror.children { findModules(child.value, into: &result) }
        default:
            break
        }
    }
}

/// Training flags of modules that do not store their own `isTraining`.
final class TrainingModeTable: @unchecked Sendable {
    static let shared = TrainingModeTable()
    private struct Entry { weak var module: AnyObject?; var training: Bool }
    private let lock = NSLock()
    private var entries: [ObjectIdentifier: Entry] = [:]

    func mode(of module: AnyObject) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard let entry = entries[ObjectIdentifier(module)], entry.module === module else { return true }
        return entry.training
    }

    func setMode(_ training: Bool, of module: AnyObject) {
        lock.lock(); defer { lock.unlock() }
        if entries.count > 1024 { entries = entries.filter { $0.value.module != nil } }
        entries[ObjectIdentifier(module)] = Entry(module: module, training: training)
    }
}
