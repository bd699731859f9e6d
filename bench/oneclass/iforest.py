#!/usr/bin/python3
"""iforest.py DIR CLASSES SEEDS: the Isolation Forest peer of bench/oneclass.

Reads DIR/{train,test}.npy (samples × values, scaled as the autoencoder
sees them) and DIR/{train,test}-labels.npy; for each class index in the
comma-separated CLASSES and each seed 1..SEEDS, fits sklearn's
IsolationForest (100 trees) on the training samples of that class, scores
every test sample, and prints "class seed auroc seconds".
"""
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

d, classes, seeds = sys.argv[1], [int(c) for c in sys.argv[2].split(",")], int(sys.argv[3])
x, y = np.load(d + "/train.npy"), np.load(d + "/train-labels.npy")
xt, yt = np.load(d + "/test.npy"), np.load(d + "/test-labels.npy")
for c in classes:
    for seed in range(1, seeds + 1):
        t = time.time()
        f = IsolationForest(n_estimators=100, random_state=seed, n_jobs=-1).fit(x[y == c])
        auc = roc_auc_score(yt != c, -f.score_samples(xt))
        print(c, seed, auc, time.time() - t, flush=True)
