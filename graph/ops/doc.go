// Package ops holds aegraph's fused Gorgonia operations: the dense and
// convolutional layers' products, biases, activations, pooling, upsampling
// and losses, each one op with its own symbolic derivative (G.SDOp), so that
// G.Grad still builds the backward graph and a TapeMachine still runs it.
// They replace chains of Gorgonia's element-wise ops, each of which makes a
// pass over memory and allocates a fresh tensor on every step, and its slow
// im2col, max pooling and upsampling: a training step of the mlp allocates
// nothing here.
//
// Every constructor takes and returns Gorgonia nodes:
//
//	MatMul(x, w, gradX)     x (n, k) · w (k, d) → (n, d)
//	BiasAdd(x, b)           x (n, d) + b (1, d) → (n, d)
//	ReLU(a), Sigmoid(a)     element-wise, any shape
//	MeanSquare(x, y)        mean (x − y)² → scalar
//	MeanBCE(x, a)           mean softplus(a) − x·a (the BCE of σ(a)) → scalar
//	Conv2D(x, w, pad, gradX) x (N, C, H, W) ⋆ w (O, C, k, k) → (N, O, H', W')
//	ChannelBias(x, b)       x (N, C, H, W) + b (1, C, 1, 1)
//	MaxPool2(x), Upsample2(x) (N, C, H, W) ↔ (N, C, H/2, W/2)
//
// gradX = false tells an op that x is data, which spares the largest product
// of the backward pass. A net written outside this project keeps the fast
// path by calling these (graph.Builder's layers do), e.g. a decoder that
// reuses the encoder's weight transposed:
//
//	wt, _ := G.Transpose(w)             // (k, d) → (d, k)
//	h, _ := ops.MatMul(z, wt, true)     // z (n, d) · wᵀ → (n, k)
//	y, _ := ops.BiasAdd(h, b)
//
// An op keeps its output tensor and rewrites it on every run (outputs live
// until the next run of the machine), shares element-wise work among the
// cores in fixed chunks (so the result does not depend on the number of
// cores), and computes float32 matrix products with the BLAS that UseBLAS
// selects: by default package internal/sgemm (Go assembly for AVX-512,
// AVX2 and NEON, plain Go elsewhere, the same bits on every CPU). float64
// graphs (gradient checks) use gonum's.
package ops
