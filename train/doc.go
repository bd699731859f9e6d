// Package train fits a graph.Model: a Trainer builds the training graph once
// (x → E_θ → z → D_φ → x', the loss ℓ(x, x') plus penalties, and ∇_{θ,φ} by
// Gorgonia's G.Grad), runs it on a TapeMachine and updates θ and φ with a
// Solver, one step per batch:
//
//	t, err := train.New(model, train.Config{Epochs: 10, Seed: 1}) // Adam, 1e-3, batches of 128
//	for t.Epoch < 10 {
//		loss, err := t.RunEpoch(ctx, data, nil) // data: any graph.Data
//		…
//	}
//	ck, err := t.Checkpoint(config)  // every weight, the solver's state, the position
//	err = ck.Save("checkpoint.aeg")   // atomically, versioned, checksummed
//
// A run is reproducible bit for bit: batches follow Perm(n, Seed, epoch),
// noise inputs (a VAE's ε, a denoising mask) come from an RNG seeded by Seed,
// and the solvers' state (Adam's moments, …) is visible, so a checkpoint
// holds all of it and Restore continues exactly where the run stopped, also
// mid-epoch. The learning rate of a step depends only on its place in the
// run (Schedules: constant, cosine), so a resumed run follows the same rates.
// Solvers: adam, sgd, momentum, rmsprop, each with optional decoupled weight
// decay (AdamW's).
//
// Package run builds trainers from a run's configuration and keeps their
// checkpoints in a run folder.
package train
