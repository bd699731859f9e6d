//go:build arm64

package canon

// fma is one FMADDS: Go's compiler fuses a float32 a*b + c on arm64. Not
// inlined: inlined at a call whose a and b are constants, the compiler
// would fold a*b into a rounded constant and add it unfused.
//
//go:noinline
func fma(a, b, c float32) float32 { return a*b + c }
