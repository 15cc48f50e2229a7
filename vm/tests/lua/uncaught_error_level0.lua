print("output before")
error("plain message without position", 0)
