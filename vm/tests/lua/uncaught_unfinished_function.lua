local function f()
  print("x")

print("missing end")
