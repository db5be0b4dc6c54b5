/// Element types of the safetensors format. Raw values are the strings of the header.
///
/// All of them are understood when a file is opened (sizes, validation). Reading converts:
/// - to `Float` (``SafetensorsFile/tensor(_:)``): `F32`, `F16`, `BF16`, `F64` and every
///   integer type; `F16`/`BF16` widen exactly (subnormals, infinities and NaN included).
/// - to `Int` (``SafetensorsFile/intTensor(_:)``): `I64`, `I32`, `I16`, `I8`, `U32`, `U16`,
///   `U8`, `BOOL`.
/// `U64`, `F8_E5M2` and `F8_E4M3` are validated but not converted. Writing produces `F32`
/// (tensors) and `I64` (integer tensors).
public enum SafetensorsDType: String, Sendable, CaseIterable, Codable {
    case bool = "BOOL"
    case uint8 = "U8"
    case int8 = "I8"
    case float8E5M2 = "F8_E5M2"
    case float8E4M3 = "F8_E4M3"
    case int16 = "I16"
    case uint16 = "U16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int32 = "I32"
    case uint32 = "U32"
    case float32 = "F32"
    case float64 = "F64"
    case int64 = "I64"
    case uint64 = "U64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3: return 1
        case .int16, .uint16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// Whether ``SafetensorsFile/intTensor(_:)`` can read this type.
    public var isReadableAsInt: Bool {
        switch self {
        case .int64, .int32, .int16, .int8, .uint32, .uint16, .uint8, .bool: return true
        default: return false
        }
    }

    /// Whether ``SafetensorsFile/tensor(_:)`` can read this type (as `Float`).
    public var isReadableAsFloat: Bool {
        isReadableAsInt || self == .float32 || self == .float16 || self == .bfloat16 || self == .float64
    }

    /// Position in the reference implementation's `Dtype` enum (increasing alignment); its
    /// writer puts tensors of larger rank first, then orders by name. Ours does the same so
    /// the files are byte-identical.
    var referenceOrder: Int { Self.allCases.firstIndex(of: self)! }
}

/// Exact conversions from the 16-bit float formats to `Float`.
enum HalfConversion {
    /// IEEE 754 binary16 bits to `Float` (exact, including subnormals, ±inf and NaN).
    @inline(__always)
    static func float(fromHalfBits h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x03FF)
        if exponent == 0x1F {  // inf / NaN
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            if mantissa == 0 { return Float(bitPattern: sign) }
            // Subnormal: mantissa · 2^-24, exactly representable as a normal Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// bfloat16 bits to `Float`: the upper half of a binary32 (exact).
    @inline(__always)
    static func float(fromBFloat16Bits b: UInt16) -> Float {
        Float(bitPattern: UInt32(b) << 16)
    }
}
