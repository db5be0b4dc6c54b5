import CBLAS
import CKernels
import Dispatch
import Foundation

/// Strided (batched) sgemm: transpose flags and leading dimensions come from the operands'
/// strides, so transposed views are never copied. An operand is copied to contiguous only when
/// its last two strides are not BLAS-compatible. Batches that can be folded into one gemm
/// ([B, T, K] × [K, N] → [B·T, K] × [K, N]; or summing over a batch as a longer inner
/// dimension) are folded.
enum Gemm {
    /// How BLAS reads a `rows × cols` matrix with the given strides, if it can.
    static func layout(rows: Int, cols: Int, rowStride: Int, colStride: Int) -> (trans: Bool, ld: Int)? {
        // Row-major ("no transpose"): unit column stride, leading dimension = row stride.
        let cs = cols == 1 ? 1 : colStride
        let rs = rows == 1 ? max(cols, 1) : rowStride
        if cs == 1 && rs >= max(1, cols) { return (false, rs) }
        // Column-major ("transpose"): unit row stride, leading dimension = column stride.
        let rs2 = rows == 1 ? 1 : rowStride
        let cs2 = cols == 1 ? max(rows, 1) : colStride
        if rs2 == 1 && cs2 >= max(1, rows) { return (true, cs2) }
        return nil
    }

    static func layout(of t: Tensor) -> (trans: Bool, ld: Int)? {
        let r = t.rank
        return layout(rows: t.shape[r - 2], cols: t.shape[r - 1], rowStride: t.strides[r - 2], colStride: t.strides[r - 1])
    }

    /// `t` itself when its matrices are BLAS-readable, else a contiguous copy.
    static func blasReadable(_ t: Tensor) -> Tensor {
        if layout(of: t) != nil { return t }
        MatmulTraceBox.recordCopy()
        return t.contiguousValues()
    }

    /// C = A·B + beta·C for one matrix (m × k times k × n). `c` may be row-major or
    /// column-major (then computed as Cᵀ = Bᵀ·Aᵀ).
    static func raw(m: Int, n: Int, k: Int,
                    a: UnsafePointer<Float>, aLayout: (trans: Bool, ld: Int),
                    b: UnsafePointer<Float>, bLayout: (trans: Bool, ld: Int),
                    c: UnsafeMutablePointer<Float>, cLayout: (trans: Bool, ld: Int), beta: Float) {
        if m == 0 || n == 0 { return }
        MatmulTraceBox.recordGemm(m: m, n: n, k: k)
        if k == 0 {
            if beta == 0 {
                for i in 0..<(cLayout.trans ? n : m) { ck_fill(c + i * cLayout.ld, 0, Int64(cLayout.trans ? m : n)) }
            }
            return
        }
        func flag(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }
        if !cLayout.trans {
            cblas_sgemm(CblasRowMajor, flag(aLayout.trans), flag(bLayout.trans), blasint(m), blasint(n), blasint(k),
                        1, a, blasint(aLayout.ld), b, blasint(bLayout.ld), beta, c, blasint(cLayout.ld))
        } else {
            cblas_sgemm(CblasRowMajor, flag(!bLayout.trans), flag(!aLayout.trans), blasint(n), blasint(m), blasint(k),
                        1, b, blasint(bLayout.ld), a, blasint(aLayout.ld), beta, c, blasint(cLayout.ld))
        }
    }

    /// Stride of dimensions `dims` (in order) merged into one, if they are mergeable.
    static func mergedStride(_ t: Tensor, dims: [Int]) -> Int? {
        var result: Int? = nil
        var inner = 1  // elements spanned by the dims after the current one
        for d in dims.reversed() where t.shape[d] != 1 {
            if let s = result {
                if t.strides[d] != s * inner { return nil }
            } else {
                result = t.strides[d]
            }
            inner *= t.shape[d]
        }
        return result ?? 1
    }

    /// c[batch…, M, N] = a[batch…, M, K] · b[batch…, K, N] (+ c when `beta` is 1).
    /// a and b batch dimensions broadcast against each other; c's batch dimensions either match
    /// the broadcast batch or are 1/missing (then the products are summed into c). `c` must own
    /// its memory and be BLAS-writable.
    static func batched(_ aIn: Tensor, _ bIn: Tensor, into c: Tensor, beta betaIn: Float) {
        let a = blasReadable(aIn), b = blasReadable(bIn)
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        check(b.shape[b.rank - 2] == k && c.shape[c.rank - 2] == m && c.shape[c.rank - 1] == n,
                     "matmul: shapes \(aIn.shape) and \(bIn.shape) do not multiply into \(c.shape)")
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2)), cBatch = Array(c.shape.dropLast(2))
        let fullBatch = Tensor.broadcastShapes(Tensor.broadcastShapes(aBatch, bBatch, op: "matmul"), cBatch, op: "matmul")
        let batchRank = fullBatch.count
        let batchCount = fullBatch.reduce(1, *)
        let cLayout = layout(of: c)!

        // One gemm when batches fold into rows: b has no batch, c has every batch.
        if batchCount > 1, bBatch.reduce(1, *) == 1, cBatch == fullBatch, aBatch == fullBatch,
           let aLay = layout(of: a), !aLay.trans, !cLayout.trans,
           let aRows = mergedStride(a, dims: Array(0..<(a.rank - 1))), aRows >= max(1, k),
           let cRows = mergedStride(c, dims: Array(0..<(c.rank - 1))), cRows >= max(1, n) {
            raw(m: batchCount * m, n: n, k: k,
                a: a.baseAddress, aLayout: (false, aRows), b: b.baseAddress, bLayout: layout(of: b)!,
                c: c.baseAddress, cLayout: (false, cRows), beta: betaIn)
            return
        }
        // One gemm when the batch is summed: c has no batch, a's batch folds into its columns
        // and b's batch into its rows (the inner dimension grows to batch·K).
        if batchCount > 1, cBatch.reduce(1, *) == 1, aBatch == fullBatch, bBatch == fullBatch,
           let aLay = layout(of: a), aLay.trans, let bLay = layout(of: b), !bLay.trans,
           let aCols = mergedStride(a, dims: Array(0..<batchRank) + [a.rank - 1]), aCols >= max(1, m),
           let bRows = mergedStride(b, dims: Array(0..<(b.rank - 1))), bRows >= max(1, n) {
            raw(m: m, n: n, k: batchCount * k,
                a: a.baseAddress, aLayout: (true, aCols), b: b.baseAddress, bLayout: (false, bRows),
                c: c.baseAddress, cLayout: cLayout, beta: betaIn)
            return
        }

        let aLay = layout(of: a)!, bLay = layout(of: b)!
        let sa = batchStrides(a, fullBatch), sb = batchStrides(b, fullBatch), sc = batchStrides(c, fullBatch)
        var beta = betaIn
        let reducesIntoC = zip(fullBatch, sc).contains { $0 > 1 && $1 == 0 }
        if reducesIntoC && beta == 0 {
            zeroFill(c)
            beta = 1
        }
        let pa = a.baseAddress, pb = b.baseAddress, pc = c.baseAddress
        func runBatches(_ range: Range<Int>) {
            var index = [Int](repeating: 0, count: batchRank)
            var rest = range.lowerBound
            for d in stride(from: batchRank - 1, through: 0, by: -1) { index[d] = rest % fullBatch[d]; rest /= fullBatch[d] }
            for _ in range {
                var oa = 0, ob = 0, oc = 0
                for d in 0..<batchRank { oa += index[d] * sa[d]; ob += index[d] * sb[d]; oc += index[d] * sc[d] }
                raw(m: m, n: n, k: k, a: pa + oa, aLayout: aLay, b: pb + ob, bLayout: bLay,
                    c: pc + oc, cLayout: cLayout, beta: beta)
                var d = batchRank - 1
                while d >= 0 {
                    index[d] += 1
                    if index[d] < fullBatch[d] { break }
                    index[d] = 0
                    d -= 1
                }
            }
        }
        // Many small gemms (attention heads): OpenBLAS would wake its threads for each one;
        // instead run single-threaded gemms on batch slices in parallel. Not when batches sum
        // into the same output (they would race).
        let cores = StridedLoop.cores
        if !reducesIntoC, cores > 1, batchCount >= 2 * cores, m * n * k <= smallGemmWork {
            BLASThreads.singleThreaded {
                // The workers are not in this task: hand them its trace (task-local) explicitly.
                let trace = MatmulTraceBox.current
                parallelFor(cores) { i in
                    MatmulTraceBox.$current.withValue(trace) { runBatches(evenSplit(i, of: cores, total: batchCount)) }
                }
            }
        } else {
            runBatches(0..<batchCount)
        }
    }

    /// Largest m·n·k treated as a small gemm (batch-parallel instead of BLAS-threaded).
    static let smallGemmWork = 1 << 22

    /// Batch-dimension strides of `t` broadcast to `batch` (0 where broadcast).
    private static func batchStrides(_ t: Tensor, _ batch: [Int]) -> [Int] {
        let tb = t.rank - 2
        var result = [Int](repeating: 0, count: batch.count)
        let lead = batch.count - tb
        for i in 0..<tb where t.shape[i] != 1 { result[lead + i] = t.strides[i] }
        return result
    }

    private static func zeroFill(_ c: Tensor) {
        let zero = Tensor.zeros([1])
        ElementwiseKernel.unary(TC_COPY, zero.expand(to: c.shape).detached(), into: c)
    }
}

/// Temporarily runs OpenBLAS single-threaded (our own threads parallelise instead). Nested and
/// concurrent regions are counted; the previous thread count is restored when the last ends.
enum BLASThreads {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var saved = 1

    static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        if depth == 0 {
            saved = Int(openblas_get_num_threads())
            if saved != 1 { openblas_set_num_threads(1) }
        }
        depth += 1
        lock.unlock()
        defer {
            lock.lock()
            depth -= 1
            if depth == 0 && saved != 1 { openblas_set_num_threads(Int32(saved)) }
            lock.unlock()
        }
        return try body()
    }
}
