print("asserting")
assert(1 == 1, "fine")
assert(false, "assertion message here")
