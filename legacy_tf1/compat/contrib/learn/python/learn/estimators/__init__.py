"""contrib.learn's estimators package (Estimator, ModelFnOps, ModeKeys)."""
