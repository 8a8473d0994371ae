"""Calibration analysis: metrics, cluster bootstrap, recalibration, results tables."""
