-- expect: ok
assert(debug == nil and io == nil and require == nil and package == nil)
assert(dofile == nil and loadfile == nil)
assert(os.execute == nil and os.exit == nil and os.getenv == nil and os.remove == nil)
assert(os.rename == nil and os.tmpname == nil and os.setlocale == nil)
assert(type(os.time()) == "number" and type(os.clock()) == "number")
assert(collectgarbage("count") > 0)
