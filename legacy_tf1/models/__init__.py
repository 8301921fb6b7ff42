"""The five TF 1.x programs, one module per model key (Keras twins in modern_keras.models)."""
