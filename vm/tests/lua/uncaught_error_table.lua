print("about to throw a table")
error({})
