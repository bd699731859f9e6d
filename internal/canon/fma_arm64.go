//go:build arm64

package canon

// fma is one FMADDS: Go's compiler fuses a float32 a*b + c on arm64.
func fma(a, b, c float32) float32 { return a*b + c }
