"""Each program's training recipe, as data both sides read (Flax `configs/`).

Values are the originals' (shared/SEED_PROGRAMS.md). A variant overrides fields
with `dataclasses.replace` instead of repeating them.
"""

import dataclasses

MODEL_KEYS = ("softmax_regression", "deep_cnn", "layers_cnn", "lenet5", "core_convnet")


@dataclasses.dataclass(frozen=True)
class Recipe:
    """One program's model and training facts, shared by its TF1 and Keras sides."""

    key: str
    optimizer: str  # "adam" or "sgd" (TF1 GradientDescentOptimizer)
    learning_rate: float
    batch_size: int
    steps: int  # the original's full training length
    reported_accuracy: float  # what the original's authors reported
    adam_epsilon: float = 1e-8  # TF1's AdamOptimizer default; Keras 3 defaults to 1e-7
    dropout_rate: float = 0.0  # drop probability (TF1 keep_prob = 1 - rate)
    one_hot_labels: bool = True
    input_shape: tuple = (784,)  # what the TF1 input placeholder takes per example
    train_examples: int = 55000  # read_data_sets keeps 5,000 for validation
    compare_steps: int = 500  # the short budget of `mnist-parity compare`
    accuracy_floor: float = 0.9  # what the short budget must reach on both sides
    # "own": each side starts the short budget from its own random init. "shared": both
    # start from the TF1 init (copied into Keras), for models the short budget leaves far
    # from convergence, where two random inits alone move accuracy by points.
    short_budget_init: str = "own"

    def __post_init__(self):
        if self.short_budget_init not in ("own", "shared"):
            raise ValueError(f"recipe {self.key}: short_budget_init {self.short_budget_init!r}; "
                             "expected 'own' or 'shared'")
        if self.optimizer not in ("adam", "sgd"):
            raise ValueError(f"recipe {self.key}: optimizer {self.optimizer!r}; expected 'adam' or 'sgd'")
        if not 0.0 <= self.dropout_rate < 1.0:
            raise ValueError(f"recipe {self.key}: dropout_rate {self.dropout_rate}; expected 0 <= rate < 1")
        for name in ("batch_size", "steps", "compare_steps"):
            if getattr(self, name) < 1:
                raise ValueError(f"recipe {self.key}: {name}={getattr(self, name)}; expected >= 1")

    @property
    def keep_probability(self):
        """TF1's keep_prob for this recipe's dropout."""
        return 1.0 - self.dropout_rate


# Budgets and floors below come from `mnist-parity compare --models KEY --steps N --seed S
# [--init own|shared]` (the figures quoted are its TF1 / Keras accuracy columns).

SOFTMAX_REGRESSION = Recipe(
    # The full recipe takes under a second, so the short budget is all of it: 91.66% / 91.66%.
    key="softmax_regression", optimizer="sgd", learning_rate=0.5, batch_size=100,
    steps=1000, reported_accuracy=0.92, compare_steps=1000, accuracy_floor=0.905,
)
DEEP_CNN = Recipe(
    # --steps 1000: 96.11% / 96.19%, below the 97% the suite requires; 2000: 97.58% / 97.58%.
    key="deep_cnn", optimizer="adam", learning_rate=1e-4, batch_size=50, steps=20000,
    reported_accuracy=0.992, dropout_rate=0.5, compare_steps=2000, accuracy_floor=0.97,
)
LAYERS_CNN = Recipe(
    # SGD at 0.001 is still climbing steeply at 1,000 steps, where the start decides points:
    # shared init, seed 0: 70.72% / 70.68%; seed 1: 58.77% / 58.99%.
    key="layers_cnn", optimizer="sgd", learning_rate=0.001, batch_size=100, steps=20000,
    reported_accuracy=0.9733, dropout_rate=0.4, one_hot_labels=False,
    compare_steps=1000, accuracy_floor=0.55, short_budget_init="shared",
)
LENET5 = Recipe(
    # Still climbing at 5,000 steps. --init own: 91.13% / 90.16% (seed 0) but 90.26% / 92.10%
    # (seed 1, a 1.84-point gap from the two random starts alone); shared, seed 0: 91.13% / 91.13%.
    key="lenet5", optimizer="sgd", learning_rate=0.001, batch_size=100, steps=50000,
    reported_accuracy=0.9742, one_hot_labels=False,
    compare_steps=5000, accuracy_floor=0.87, short_budget_init="shared",
)
CORE_CONVNET = Recipe(
    # --steps 600, seed 0: a 1.5-point gap (both near 94%, still steep); 1200: 96.77% / 97.45%
    # (seed 0), 97.33% / 97.33% (seed 1).
    key="core_convnet", optimizer="adam", learning_rate=1e-4, batch_size=128, steps=5 * 468,
    reported_accuracy=0.97, dropout_rate=0.2, input_shape=(28, 28, 1), train_examples=60000,
    compare_steps=1200, accuracy_floor=0.955,
)

RECIPES = {
    recipe.key: recipe
    for recipe in (SOFTMAX_REGRESSION, DEEP_CNN, LAYERS_CNN, LENET5, CORE_CONVNET)
}


def get_recipe(key):
    """The recipe for a model key; ValueError naming the known keys otherwise."""
    if key not in RECIPES:
        raise ValueError(f"unknown model key {key!r}; expected one of {list(MODEL_KEYS)}")
    return RECIPES[key]
