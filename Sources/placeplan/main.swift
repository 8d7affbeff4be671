print("placeplan")
