print("throwing a number")
error(42)
