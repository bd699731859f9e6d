// Package anomaly turns an autoencoder's per-sample scores (reconstruction
// errors, a vae's −ELBO) into decisions and measures them: a threshold from
// the share of anomalies expected in the training data, and the area under
// the ROC curve and the average precision of scores against known labels.
//
//	t := anomaly.Threshold(trainScores, 0.05) // flag the top 5%, as PyOD's contamination
//	auc, err := anomaly.AUROC(testScores, isAnomaly)
//	ap, err := anomaly.AveragePrecision(testScores, isAnomaly)
//	fpr, tpr, err := anomaly.ROC(testScores, isAnomaly) // the curve, to draw
//
// Higher scores are more anomalous.
package anomaly

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Threshold is the (1 − contamination) quantile of the training scores,
// linearly interpolated between order statistics (NumPy's default, which
// PyOD's contamination threshold uses): a sample scoring above it is flagged.
// contamination must be in (0, 0.5].
func Threshold(train []float64, contamination float64) (float64, error) {
	if !(contamination > 0 && contamination <= 0.5) {
		return 0, fmt.Errorf("contamination %v: want a share in (0, 0.5]", contamination)
	}
	if len(train) == 0 {
		return 0, errors.New("no training scores to set a threshold on")
	}
	s := slices.Clone(train)
	slices.Sort(s)
	pos := float64((1 - contamination) * float64(len(s)-1)) // float64(…): rounded, never fused (canon)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(s)-1)
	return s[lo] + float64((pos-float64(lo))*(s[hi]-s[lo])), nil
}

// check reports scores and labels that cannot be measured.
func check(scores []float64, anomalous []bool) error {
	if len(scores) != len(anomalous) {
		return fmt.Errorf("%d scores for %d labels", len(scores), len(anomalous))
	}
	pos := 0
	for i, s := range scores {
		if math.IsNaN(s) {
			return fmt.Errorf("score %d is NaN", i)
		}
		if anomalous[i] {
			pos++
		}
	}
	if pos == 0 || pos == len(scores) {
		return fmt.Errorf("%d anomalous samples of %d: want both normal and anomalous ones", pos, len(scores))
	}
	return nil
}

// AUROC is the area under the ROC curve of scores for telling the anomalous
// samples from the others: the probability that a random anomalous sample
// scores higher than a random normal one, ties counting one half (the
// Mann–Whitney statistic).
func AUROC(scores []float64, anomalous []bool) (float64, error) {
	if err := check(scores, anomalous); err != nil {
		return 0, err
	}
	idx := order(scores)
	// Sum the ranks (1-based, ties at their mean rank) of the anomalous samples.
	var rankSum float64
	var pos, neg float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		mean := float64(i+j+1) / 2
		for _, k := range idx[i:j] {
			if anomalous[k] {
				rankSum += mean
				pos++
			} else {
				neg++
			}
		}
		i = j
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg), nil
}

// AveragePrecision is the mean, over the anomalous samples, of the precision
// among the samples that score at least as high (scikit-learn's
// average_precision_score: tied scores form one step).
func AveragePrecision(scores []float64, anomalous []bool) (float64, error) {
	if err := check(scores, anomalous); err != nil {
		return 0, err
	}
	idx := order(scores)
	slices.Reverse(idx)
	var total, tp, seen, ap float64
	for _, a := range anomalous {
		if a {
			total++
		}
	}
	prevRecall := 0.0
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		for _, k := range idx[i:j] {
			seen++
			if anomalous[k] {
				tp++
			}
		}
		recall := tp / total
		ap += (recall - prevRecall) * tp / seen
		prevRecall = recall
		i = j
	}
	return ap, nil
}

// ROC is the ROC curve of scores for telling the anomalous samples from the
// others: for every distinct score t, from the highest down, the share of
// normal samples (false positive rate, fpr) and of anomalous ones (true
// positive rate, tpr) scoring at least t, after a first point (0, 0); tied
// scores make one step, as scikit-learn's roc_curve with
// drop_intermediate=False. The trapezoids under it add up to AUROC.
func ROC(scores []float64, anomalous []bool) (fpr, tpr []float64, err error) {
	if err := check(scores, anomalous); err != nil {
		return nil, nil, err
	}
	idx := order(scores)
	slices.Reverse(idx)
	var pos, neg float64
	for _, a := range anomalous {
		if a {
			pos++
		} else {
			neg++
		}
	}
	fpr, tpr = []float64{0}, []float64{0}
	var tp, fp float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		for _, k := range idx[i:j] {
			if anomalous[k] {
				tp++
			} else {
				fp++
			}
		}
		fpr, tpr = append(fpr, fp/neg), append(tpr, tp/pos)
		i = j
	}
	return fpr, tpr, nil
}

// Extremes returns the indices of the k highest scores, highest first,
// followed by those of the k lowest, lowest first; NaN counts as highest.
// When len(scores) ≤ 2k every index is returned once, highest first.
// Equal scores keep the samples' order among the highest.
func Extremes(scores []float64, k int) []int {
	var idx, num []int
	for i, s := range scores {
		if math.IsNaN(s) {
			idx = append(idx, i)
		} else {
			num = append(num, i)
		}
	}
	slices.SortStableFunc(num, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	idx = append(idx, num...)
	if k < 0 || len(idx) <= 2*k {
		return idx
	}
	low := slices.Clone(idx[len(idx)-k:])
	slices.Reverse(low)
	return append(idx[:k:k], low...)
}

// order returns the indices of scores in increasing order of score.
func order(scores []float64) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	return idx
}
