"""contrib.learn's learn_io package (the DataFeeder)."""
