local function fail() error("failure in function") end
print("calling")
fail()
