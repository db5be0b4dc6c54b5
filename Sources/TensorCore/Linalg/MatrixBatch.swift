/// A batch of Float64 matrices in column-major order (LAPACK's layout), stored one after
/// another: the working form of every linear-algebra op. Float32 tensors are widened on the
/// way in and rounded on the way out, so LAPACK factorises in double precision.
struct MatrixBatch {
    /// The leading (batch) dimensions of the tensor this batch came from or goes to.
    var batchShape: [Int]
    var rows: Int
    var cols: Int
    /// `count · rows · cols` values; matrix `b` starts at `b · rows · cols`, element `(i, j)`
    /// of it at `i + j · rows`.
    var values: [Double]

    /// Number of matrices.
    var count: Int { batchShape.reduce(1, *) }
    /// Elements per matrix.
    var matrixSize: Int { rows * cols }

    /// Zeros.
    init(batchShape: [Int], rows: Int, cols: Int) {
        self.batchShape = batchShape
        self.rows = rows
        self.cols = cols
        self.values = [Double](repeating: 0, count: batchShape.reduce(1, *) * rows * cols)
    }

    /// The matrices of `t` (shape `[…, rows, cols]`, any strides), widened to Float64.
    init(_ t: Tensor) {
        precondition(t.rank >= 2, "MatrixBatch: needs a tensor of rank ≥ 2, got shape \(t.shape)")
        let rows = t.shape[t.rank - 2], cols = t.shape[t.rank - 1]
        self.init(batchShape: Array(t.shape.dropLast(2)), rows: rows, cols: cols)
        let source = t.toArray()
        let size = rows * cols, matrices = count
        values.withUnsafeMutableBufferPointer { out in
            for b in 0..<matrices {
                let base = b * size
                for i in 0..<rows {
                    for j in 0..<cols { out[base + i + j * rows] = Double(source[base + i * cols + j]) }
                }
            }
        }
    }

    /// As ``init(_:)``, refusing NaN and infinity with a ``LinalgError`` naming `op` and the
    /// matrix.
    static func checked(_ t: Tensor, op: String) throws(LinalgError) -> MatrixBatch {
        let batch = MatrixBatch(t)
        if let bad = batch.firstNonFiniteMatrix() {
            throw LinalgError(op: op, kind: .nonFiniteInput, batchIndex: bad, info: 0)
        }
        return batch
    }

    /// Index of the first matrix holding NaN or ±infinity, if any.
    func firstNonFiniteMatrix() -> Int? {
        let size = matrixSize
        for b in 0..<count where values[(b * size)..<((b + 1) * size)].contains(where: { !$0.isFinite }) {
            return b
        }
        return nil
    }

    subscript(batch: Int, row: Int, col: Int) -> Double {
        get { values[batch * matrixSize + row + col * rows] }
        set { values[batch * matrixSize + row + col * rows] = newValue }
    }

    /// Calls `body` with a pointer to matrix `b` (leading dimension `rows`).
    mutating func withMatrix<R>(_ b: Int, _ body: (UnsafeMutablePointer<Double>) -> R) -> R {
        let offset = b * matrixSize
        return values.withUnsafeMutableBufferPointer { body($0.baseAddress! + offset) }
    }

    /// The matrices as a row-major Float32 tensor `[batchShape…, rows, cols]`.
    func tensor() -> Tensor {
        let size = matrixSize
        var out = [Float](repeating: 0, count: count * size)
        out.withUnsafeMutableBufferPointer { dst in
            for b in 0..<count {
                let base = b * size
                for i in 0..<rows {
                    for j in 0..<cols { dst[base + i * cols + j] = Float(values[base + i + j * rows]) }
                }
            }
        }
        return Tensor(out, shape: batchShape + [rows, cols])
    }

    /// A batch of `count` identity-like matrices `[rows, cols]` scaled per matrix by `scale[b]`.
    static func scaledIdentity(batchShape: [Int], rows: Int, cols: Int, scale: [Double]) -> MatrixBatch {
        var batch = MatrixBatch(batchShape: batchShape, rows: rows, cols: cols)
        for b in 0..<batch.count {
            for i in 0..<Swift.min(rows, cols) { batch[b, i, i] = scale[b] }
        }
        return batch
    }
}

/// Per-matrix Float64 vectors (singular values, eigenvalues, pivots' signs, …) of a batch.
struct VectorBatch {
    var batchShape: [Int]
    var length: Int
    var values: [Double]

    init(batchShape: [Int], length: Int) {
        self.batchShape = batchShape
        self.length = length
        self.values = [Double](repeating: 0, count: batchShape.reduce(1, *) * length)
    }

    /// Calls `body` with a pointer to vector `b`.
    mutating func withVector<R>(_ b: Int, _ body: (UnsafeMutablePointer<Double>) -> R) -> R {
        let offset = b * length
        return values.withUnsafeMutableBufferPointer { body($0.baseAddress! + offset) }
    }

    /// As a Float32 tensor `[batchShape…, length]`.
    func tensor() -> Tensor {
        Tensor(values.map { Float($0) }, shape: batchShape + [length])
    }
}
