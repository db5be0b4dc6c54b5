// Selection by a mask: where(condition, a, b) and maskedFill. A mask is a float tensor whose
// nonzero entries mean true (e.g. an attention mask of 0/1).
extension Tensor {
    /// Elementwise selection, as `torch.where`: `condition != 0 ? a : b`, with the three
    /// shapes broadcast together. Gradients flow to `a` where the condition holds and to `b`
    /// elsewhere (reduced to each input's shape).
    ///
    /// ```swift
    /// let clipped = Tensor.where(condition: mask, x, Tensor.zeros([1]))
    /// ```
    public static func `where`(condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = Tensor.broadcastShapes(Tensor.broadcastShapes(condition.shape, a.shape, op: "where"),
                                           b.shape, op: "where")
        let c = condition.detached().expand(to: shape).contiguous()
        let ac = a.detached().expand(to: shape).contiguous()
        let bc = b.detached().expand(to: shape).contiguous()
        let out = Tensor.empty(shape)
        let pc = UnsafePointer(c.baseAddress), pa = UnsafePointer(ac.baseAddress)
        let pb = UnsafePointer(bc.baseAddress), po = out.baseAddress
        withExtendedLifetime((c, ac, bc)) {
            KernelParallel.forEachElementRange(count: out.count) { start, length in
                for i in start..<(start + length) { po[i] = pc[i] != 0 ? pa[i] : pb[i] }
            }
        }
        guard GradMode.isEnabled, a.requiresGrad || b.requiresGrad else { return out }
        let aShape = a.shape, bShape = b.shape
        return Tensor.record(op: "where", inputs: [a, b], output: out) { g in
            let gc = g.contiguous()
            let ga = Tensor.empty(shape), gb = Tensor.empty(shape)
            let pc = UnsafePointer(c.baseAddress), pg = UnsafePointer(gc.baseAddress)
            let pga = ga.baseAddress, pgb = gb.baseAddress
            withExtendedLifetime((c, gc)) {
                KernelParallel.forEachElementRange(count: ga.count) { start, length in
                    for i in start..<(start + length) {
                        let keep = pc[i] != 0
                        pga[i] = keep ? pg[i] : 0
                        pgb[i] = keep ? 0 : pg[i]
                    }
                }
            }
            return [ga.sumToShape(aShape), gb.sumToShape(bShape)]
        }
    }

    /// Replaces entries where `mask != 0` by `value`, as `torch.Tensor.masked_fill`. `mask`
    /// must broadcast to this tensor's shape. Filled positions get no gradient.
    ///
    /// ```swift
    /// let scores = logits.maskedFill(mask: padding, value: -.greatestFiniteMagnitude)   // [B, T]
    /// ```
    public func maskedFill(mask: Tensor, value: Float) -> Tensor {
        let target = shape
        let broadcast = Tensor.broadcastShapes(mask.shape, target, op: "maskedFill")
        check(broadcast == target, "maskedFill: mask shape \(mask.shape) does not broadcast to input shape \(target)")
        let m = mask.detached().expand(to: target).contiguous()
        let x = detached().contiguous()
        let out = Tensor.empty(target)
        let pm = UnsafePointer(m.baseAddress), px = UnsafePointer(x.baseAddress), po = out.baseAddress
        withExtendedLifetime((m, x)) {
            KernelParallel.forEachElementRange(count: out.count) { start, length in
                for i in start..<(start + length) { po[i] = pm[i] != 0 ? value : px[i] }
            }
        }
        guard Tensor.needsGradient(self) else { return out }
        return Tensor.record(op: "masked_fill", inputs: [self], output: out) { g in
            let gc = g.contiguous()
            let dx = Tensor.empty(target)
            let pm = UnsafePointer(m.baseAddress), pg = UnsafePointer(gc.baseAddress)
            let pd = dx.baseAddress
            withExtendedLifetime((m, gc)) {
                KernelParallel.forEachElementRange(count: dx.count) { start, length in
                    for i in start..<(start + length) { pd[i] = pm[i] != 0 ? 0 : pg[i] }
                }
            }
            return [dx]
        }
    }
}
