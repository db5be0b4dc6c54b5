import CBLAS

/// LAPACKE's `lapack_int` (a C macro, so not imported): 32-bit in the LP64 build Debian ships.
typealias LapackInt = Int32

/// The LAPACK call layer: one thin wrapper per LAPACKE routine the linear-algebra ops use,
/// always column-major Float64 with leading dimension = rows. Each returns LAPACK's `info`;
/// ``check(_:op:batchIndex:kind:)`` turns a positive one into a ``LinalgError``. A negative
/// `info` means this layer passed an illegal argument, a bug, so it stops with a precondition.
enum Lapack {
    private static let layout = Int32(LAPACK_COL_MAJOR)
    private static func char(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }
    private static func int(_ n: Int) -> LapackInt { LapackInt(n) }

    /// Throws `kind` for a positive `info`; accepts 0; stops on a negative one.
    static func check(_ info: Int, op: String, batchIndex: Int, kind: LinalgError.Kind) throws(LinalgError) {
        precondition(info >= 0, "\(op): LAPACK rejected argument \(-info) (internal error)")
        if info > 0 { throw LinalgError(op: op, kind: kind, batchIndex: batchIndex, info: info) }
    }

    /// Solves `A X = B` by LU with partial pivoting; `a` [n, n] is overwritten by its LU
    /// factors, `b` [n, nrhs] by `X`. `info > 0`: `U[info, info]` is exactly zero.
    static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>) -> Int {
        var pivots = [LapackInt](repeating: 0, count: Swift.max(n, 1))
        return Int(LAPACKE_dgesv(layout, int(n), int(nrhs), a, int(Swift.max(n, 1)), &pivots,
                                 b, int(Swift.max(n, 1))))
    }

    /// LU factorisation of `a` [m, n] in place; `pivots` gets `min(m, n)` 1-based row swaps.
    static func getrf(m: Int, n: Int, a: UnsafeMutablePointer<Double>, pivots: inout [LapackInt]) -> Int {
        pivots = [LapackInt](repeating: 0, count: Swift.max(Swift.min(m, n), 1))
        return Int(LAPACKE_dgetrf(layout, int(m), int(n), a, int(Swift.max(m, 1)), &pivots))
    }

    /// Solves `op(A) X = B` with ``getrf(m:n:a:pivots:)``'s factors `lu` [n, n] (`op` =
    /// transpose when `transpose`); `b` [n, nrhs] becomes `X`.
    static func getrs(transpose: Bool, n: Int, nrhs: Int, lu: UnsafePointer<Double>, pivots: [LapackInt],
                      b: UnsafeMutablePointer<Double>) {
        let info = LAPACKE_dgetrs(layout, char(transpose ? "T" : "N"), int(n), int(nrhs), lu, int(Swift.max(n, 1)),
                                  pivots, b, int(Swift.max(n, 1)))
        precondition(info == 0, "getrs: LAPACK rejected argument \(-info) (internal error)")
    }

    /// Cholesky factor `L` of the lower triangle of `a` [n, n], in place (the strict upper
    /// triangle is left as it was). `info > 0`: the leading minor of that order is not
    /// positive definite.
    static func potrf(n: Int, a: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dpotrf(layout, char("L"), int(n), a, int(Swift.max(n, 1))))
    }

    /// Solves `L Lᵀ X = B` for the lower-triangular factor `l` [n, n]; `b` [n, nrhs] becomes `X`.
    static func potrs(n: Int, nrhs: Int, l: UnsafePointer<Double>, b: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dpotrs(layout, char("L"), int(n), int(nrhs), l, int(Swift.max(n, 1)), b, int(Swift.max(n, 1))))
    }

    /// Solves `op(T) X = B` for triangular `t` [n, n] (`upper` or lower; `op` = transpose when
    /// `transpose`); `b` [n, nrhs] becomes `X`. `info > 0`: `T[info, info]` is zero.
    static func trtrs(upper: Bool, transpose: Bool, n: Int, nrhs: Int, t: UnsafePointer<Double>,
                      b: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dtrtrs(layout, char(upper ? "U" : "L"), char(transpose ? "T" : "N"), char("N"),
                           int(n), int(nrhs), t, int(Swift.max(n, 1)), b, int(Swift.max(n, 1))))
    }

    /// Householder QR of `a` [m, n] in place (R in the upper triangle, reflectors below).
    static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Double>, tau: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dgeqrf(layout, int(m), int(n), a, int(Swift.max(m, 1)), tau))
    }

    /// Forms the first `k` columns of Q in `a` [m, ≥k] from ``geqrf(m:n:a:tau:)``'s reflectors.
    static func orgqr(m: Int, k: Int, a: UnsafeMutablePointer<Double>, tau: UnsafePointer<Double>) -> Int {
        Int(LAPACKE_dorgqr(layout, int(m), int(k), int(k), a, int(Swift.max(m, 1)), tau))
    }

    /// Reduced SVD by divide and conquer: `a` [m, n] (destroyed) = `u` [m, k] · diag(`s`) ·
    /// `vt` [k, n], k = min(m, n), `s` descending. `info > 0`: no convergence.
    static func gesdd(m: Int, n: Int, a: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>,
                      u: UnsafeMutablePointer<Double>, vt: UnsafeMutablePointer<Double>) -> Int {
        let k = Swift.min(m, n)
        return Int(LAPACKE_dgesdd(layout, char("S"), int(m), int(n), a, int(Swift.max(m, 1)), s,
                                  u, int(Swift.max(m, 1)), vt, int(Swift.max(k, 1))))
    }

    /// Singular values only (`a` destroyed).
    static func gesddValues(m: Int, n: Int, a: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>) -> Int {
        var u = [Double](repeating: 0, count: 1), vt = [Double](repeating: 0, count: 1)
        return Int(LAPACKE_dgesdd(layout, char("N"), int(m), int(n), a, int(Swift.max(m, 1)), s,
                                  &u, 1, &vt, 1))
    }

    /// Eigen-decomposition of the symmetric matrix whose lower triangle is in `a` [n, n]:
    /// `w` gets the eigenvalues ascending, `a` the orthonormal eigenvectors (columns).
    /// `info > 0`: no convergence.
    static func syevd(n: Int, vectors: Bool, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dsyevd(layout, char(vectors ? "V" : "N"), char("L"), int(n), a, int(Swift.max(n, 1)), w))
    }

    /// Minimum-norm least squares by SVD: `a` [m, n] (destroyed), `b` [max(m, n), nrhs] whose
    /// first `n` rows become the solution; singular values ≤ `rcond · s_max` count as zero.
    /// Returns (info, effective rank). `info > 0`: no convergence.
    static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>,
                      rcond: Double) -> (info: Int, rank: Int) {
        var s = [Double](repeating: 0, count: Swift.max(Swift.min(m, n), 1))
        var rank: LapackInt = 0
        let info = LAPACKE_dgelsd(layout, int(m), int(n), int(nrhs), a, int(Swift.max(m, 1)), b,
                                  int(Swift.max(m, n, 1)), &s, rcond, &rank)
        return (Int(info), Int(rank))
    }
}
