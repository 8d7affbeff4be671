print("placeplan-bench: not yet implemented")
