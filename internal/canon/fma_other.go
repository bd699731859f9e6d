//go:build !arm64

package canon

func fma(a, b, c float32) float32 { return fmaOdd(a, b, c) }
