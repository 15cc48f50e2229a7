print("throwing nil")
error(nil)
